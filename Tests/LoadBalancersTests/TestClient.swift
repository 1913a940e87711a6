import ProcessSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking TCP client with a receive timeout, so a broken balancer fails a test instead of hanging it.
///
/// `@unchecked Sendable`: the large-transfer test sends from one task while another reads; `send` and
/// `recv` on one socket from two threads are safe, and each task touches only its own direction's state
/// (the read buffer belongs to the reader alone).
final class TestClient: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let fd: Int32
    private var buffer: [UInt8] = []
    private var closed = false

    /// Connects to `ip:port` (IPv4 or IPv6); reads give up after `timeout` seconds.
    init(port: Int, ip: String = "127.0.0.1", timeout: Int = 3) throws {
        let isIPv6 = ip.contains(":")
        fd = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed: \(errno)") }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_storage()
        let length: Int
        if isIPv6 {
            var v6 = sockaddr_in6()
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET6, ip, &v6.sin6_addr)
            withUnsafeMutableBytes(of: &address) { target in withUnsafeBytes(of: v6) { target.copyMemory(from: $0) } }
            length = MemoryLayout<sockaddr_in6>.size
        } else {
            var v4 = sockaddr_in()
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, ip, &v4.sin_addr)
            withUnsafeMutableBytes(of: &address) { target in withUnsafeBytes(of: v4) { target.copyMemory(from: $0) } }
            length = MemoryLayout<sockaddr_in>.size
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(length)) }
        }
        guard result == 0 else {
            Glibc.close(fd)
            throw Failure(description: "connect to \(ip):\(port) failed: \(errno)")
        }
    }

    deinit {
        if !closed { Glibc.close(fd) }
    }

    /// This end's `ip:port`, which the balancer reports as the session's client.
    var localAddress: String {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return SocketAddress.describe(address)
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw Failure(description: "send failed: \(errno)") }
    }

    /// The next line without its newline, or `nil` at end of stream (or reset).
    func readLine() throws -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            guard try fill() else { return nil }
        }
    }

    /// Sends `count` bytes of filler.
    func sendFiller(count: Int) throws {
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        var left = count
        while left > 0 {
            let size = min(left, chunk.count)
            let sent = chunk.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, size, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure(description: "send failed: \(errno)") }
            left -= sent
        }
    }

    /// Reads until `count` bytes arrived or the stream ends; returns how many arrived.
    func readCount(_ count: Int) throws -> Int {
        var total = buffer.count
        buffer = []
        while total < count {
            guard try fill() else { break }
            total += buffer.count
            buffer = []
        }
        return total
    }

    /// Everything until the peer closes.
    func readToEnd() throws -> String {
        while try fill() {}
        defer { buffer = [] }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Reads once; `false` at end of stream or reset, throws on timeout.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffer += chunk[..<count]
            return true
        }
        if count == 0 || errno == ECONNRESET { return false }
        throw Failure(description: "read failed (errno \(errno); EAGAIN means timed out)")
    }

    /// Ends this side's output (the peer reads end of input); reading goes on.
    func shutdownOutput() {
        shutdown(fd, Int32(SHUT_WR))
    }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }
}
