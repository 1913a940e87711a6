#if canImport(Glibc)
import Glibc
#endif

/// Whether something accepts TCP connections at an address: a non-blocking connect, waited on
/// with `poll` for at most the given time, then closed. Blocks its thread for that long at most.
public enum TCPProbe {
    public static func connects(ip: String, port: Int, timeoutMilliseconds: Int32) -> Bool {
        guard let address = SocketAddress(ip: ip, port: port) else { return false }
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if address.connect(fd) == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&entry, 1, timeoutMilliseconds) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return false }
        return error == 0
    }
}
