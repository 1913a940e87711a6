#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 socket address: made from an IP literal and a port to connect to, or read
/// from the system (`accept`, `getsockname`, the ZooKeeper client's connected server), and
/// printed one way everywhere: `ip:port`, `[ip]:port` for IPv6.
public struct SocketAddress: Sendable, CustomStringConvertible {
    private let storage: sockaddr_storage
    /// `AF_INET` or `AF_INET6`.
    public let family: Int32
    private let length: socklen_t

    /// The address `ip`:`port`; nil when `ip` is not an IP literal or `port` is out of range.
    public init?(ip: String, port: Int) {
        guard (0...65535).contains(port) else { return nil }
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        var storage = sockaddr_storage()
        if inet_pton(AF_INET, ip, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = UInt16(port).bigEndian
            (family, length) = (AF_INET, Self.store(v4, in: &storage))
        } else if inet_pton(AF_INET6, ip, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = UInt16(port).bigEndian
            (family, length) = (AF_INET6, Self.store(v6, in: &storage))
        } else {
            return nil
        }
        self.storage = storage
    }

    /// An address the system filled in; nil unless it is IPv4 or IPv6.
    public init?(_ storage: sockaddr_storage) {
        switch Int32(storage.ss_family) {
        case AF_INET: (family, length) = (AF_INET, socklen_t(MemoryLayout<sockaddr_in>.size))
        case AF_INET6: (family, length) = (AF_INET6, socklen_t(MemoryLayout<sockaddr_in6>.size))
        default: return nil
        }
        self.storage = storage
    }

    /// Copies a `sockaddr_in` or `sockaddr_in6` into `storage`; returns its length.
    private static func store<Address>(_ address: Address, in storage: inout sockaddr_storage) -> socklen_t {
        withUnsafeMutableBytes(of: &storage) { target in
            withUnsafeBytes(of: address) { target.copyMemory(from: $0) }
        }
        return socklen_t(MemoryLayout<Address>.size)
    }

    /// Runs `body` with the address as a `sockaddr` and its length (for `connect`, `bind`).
    public func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var storage = storage
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }

    /// Starts a connect of `fd` (non-blocking when `fd` is); the result of `connect(2)`.
    public func connect(_ fd: Int32) -> Int32 {
        withSockAddr { Glibc.connect(fd, $0, $1) }
    }

    /// The IP in text form (`inet_ntop`).
    public var ip: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let written: UnsafePointer<CChar>? = withUnsafeBytes(of: storage) { raw in
            family == AF_INET
                ? withUnsafeBytes(of: raw.load(as: sockaddr_in.self).sin_addr) {
                    inet_ntop(AF_INET, $0.baseAddress, &text, socklen_t(text.count))
                }
                : withUnsafeBytes(of: raw.load(as: sockaddr_in6.self).sin6_addr) {
                    inet_ntop(AF_INET6, $0.baseAddress, &text, socklen_t(text.count))
                }
        }
        guard written != nil else { return "" }
        return String(decoding: text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The port.
    public var port: Int {
        withUnsafeBytes(of: storage) { raw in
            family == AF_INET
                ? Int(UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port))
                : Int(UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port))
        }
    }

    /// `ip:port`, or `[ip]:port` for IPv6.
    public var description: String {
        family == AF_INET6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    /// The text of a socket address the system filled in, `unknown` unless IPv4 or IPv6.
    public static func describe(_ storage: sockaddr_storage) -> String {
        SocketAddress(storage)?.description ?? "unknown"
    }
}
