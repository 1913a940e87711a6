import Foundation
import ProcessSupport

#if canImport(Glibc)
import Glibc
#endif

/// Free TCP ports on 127.0.0.1, for servers started by tests.
public enum LoopbackPorts {
    /// A port nothing listens on right now (the kernel's choice of an ephemeral port).
    public static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LocalServiceError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        guard let port = bindLoopback(fd, port: 0) else { throw LocalServiceError("bind() failed: errno \(errno)") }
        return port
    }

    /// Binds `fd` to 127.0.0.1:`port` and returns the port bound, or `nil` when it is taken.
    package static func bindLoopback(_ fd: Int32, port: Int) -> Int? {
        guard withLoopbackAddress(port: port, { bind(fd, $0, $1) }) == 0 else { return nil }
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs `body` with the socket address 127.0.0.1:`port` and its length.
    private static func withLoopbackAddress<R>(port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    /// `count` distinct free ports.
    public static func free(_ count: Int) throws -> [Int] {
        var ports: Set<Int> = []
        while ports.count < count { ports.insert(try free()) }
        return Array(ports)
    }

    /// An open TCP connection to 127.0.0.1:`port` (close-on-exec), or nil when nothing accepts it.
    /// The caller closes it.
    public static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        guard withLoopbackAddress(port: port, { Glibc.connect(fd, $0, $1) }) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Whether a TCP socket listens on `port` (any IPv4 address), found in the kernel's socket
    /// table without connecting: a connection would be seen by the listener (a balancer holding
    /// connections counts it as load).
    public static func isListening(port: Int) -> Bool {
        // No socket table to read (not Linux): no port is seen as taken.
        guard let table = FileSystem.readIfPresent("/proc/net/tcp") else { return false }
        let wanted = String(format: ":%04X", port)
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            // sl local_address rem_address st ...; st 0A is LISTEN.
            guard fields.count > 3, fields[3] == "0A", fields[1].hasSuffix(wanted) else { continue }
            return true
        }
        return false
    }

    /// ``exchange(port:command:timeout:)`` on a thread of its own, so that waiting for the peer
    /// never holds one of Swift's cooperative threads: a server in this process that answers
    /// through Swift tasks (the API under test) would otherwise wait for the very threads that
    /// wait for it, and on a small machine two such waits take them all.
    public static func exchange(port: Int, command: String, timeout: TimeInterval = 2) async -> String? {
        await withCheckedContinuation { continuation in
            let started = DetachedThread.start {
                continuation.resume(returning: exchange(port: port, command: command, timeout: timeout))
            }
            if !started { continuation.resume(returning: exchange(port: port, command: command, timeout: timeout)) }
        }
    }

    /// Sends `command` to 127.0.0.1:`port` and returns everything the peer wrote before closing
    /// (nil when nothing listens). Used for ZooKeeper's four-letter-word commands.
    public static func exchange(port: Int, command: String, timeout: TimeInterval = 2) -> String? {
        guard let fd = connect(port: port) else { return nil }
        defer { close(fd) }
        // Whole seconds and the microseconds left over: a sub-second timeout must not become
        // zero, which would mean "wait forever".
        let microseconds = max(1_000, Int((timeout * 1_000_000).rounded()))
        var tv = timeval(tv_sec: microseconds / 1_000_000, tv_usec: microseconds % 1_000_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(command.utf8)
        guard send(fd, bytes, bytes.count, 0) == bytes.count else { return nil }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            reply.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: reply, as: UTF8.self)
    }
}

/// A test server could not be started or did not behave.
public struct LocalServiceError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
