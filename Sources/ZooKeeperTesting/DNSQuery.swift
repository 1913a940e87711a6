import LocalServices

#if canImport(Glibc)
import Glibc
#endif

/// A minimal DNS client for tests: one A question over UDP to 127.0.0.1, its answers parsed by hand.
///
/// The socket is non-blocking and polled between short `Task.sleep`s, so waiting for an answer never holds
/// a cooperative thread; the question is sent again every 200 ms, as UDP may drop it.
public enum DNSQuery {
    public struct Reply: Sendable, Equatable {
        /// The response code: 0 NOERROR, 3 NXDOMAIN, 5 REFUSED.
        public var rcode: Int
        /// The IPv4 addresses of the A records in the answer section.
        public var addresses: Set<String>
        /// The TTLs of those records.
        public var ttls: Set<UInt32>
    }

    public static func query(_ name: String, port: Int, timeout: Duration = .seconds(2)) async throws -> Reply {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw LocalServiceError("socket() failed: \(errno)") }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var server = sockaddr_in()
        server.sin_family = sa_family_t(AF_INET)
        server.sin_port = UInt16(port).bigEndian
        server.sin_addr.s_addr = inet_addr("127.0.0.1")
        let id = UInt16.random(in: 1...UInt16.max)
        // Header: id, flags (RD), one question; then the name as labels, type A, class IN.
        var packet: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xff), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.split(separator: ".") {
            packet.append(UInt8(label.utf8.count))
            packet += label.utf8
        }
        packet += [0, 0, 1, 0, 1]
        let deadline = ContinuousClock.now + timeout
        var nextSend = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 1500)
        while ContinuousClock.now < deadline {
            if ContinuousClock.now >= nextSend {
                _ = withUnsafePointer(to: &server) { address in
                    address.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(fd, packet, packet.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
                nextSend = ContinuousClock.now + .milliseconds(200)
            }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0, let reply = parse(Array(buffer[..<count]), id: id) { return reply }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw LocalServiceError("no DNS answer for \(name) on 127.0.0.1:\(port) within \(timeout)")
    }

    /// The reply to question `id`, or `nil` for another packet or one cut short.
    public static func parse(_ bytes: [UInt8], id: UInt16) -> Reply? {
        func u16(_ at: Int) -> Int? { at + 1 < bytes.count ? Int(bytes[at]) << 8 | Int(bytes[at + 1]) : nil }
        // A name: labels ending with 0, or ending with a 2-byte compression pointer.
        func skipName(_ at: Int) -> Int? {
            var index = at
            while index < bytes.count {
                let length = Int(bytes[index])
                if length == 0 { return index + 1 }
                if length & 0xc0 == 0xc0 { return index + 2 }
                index += 1 + length
            }
            return nil
        }
        guard bytes.count >= 12, u16(0) == Int(id), bytes[2] & 0x80 != 0,
            let questions = u16(4), let answers = u16(6)
        else { return nil }
        var reply = Reply(rcode: Int(bytes[3] & 0x0f), addresses: [], ttls: [])
        var index = 12
        for _ in 0..<questions {
            guard let end = skipName(index) else { return nil }
            index = end + 4
        }
        for _ in 0..<answers {
            guard let end = skipName(index), let type = u16(end), let length = u16(end + 8),
                end + 10 + length <= bytes.count
            else { return nil }
            let data = Array(bytes[(end + 10)..<(end + 10 + length)])
            if type == 1 && length == 4 {
                reply.addresses.insert(data.map(String.init).joined(separator: "."))
                reply.ttls.insert(bytes[(end + 4)..<(end + 8)].reduce(0) { $0 << 8 | UInt32($1) })
            }
            index = end + 10 + length
        }
        return reply
    }

    /// Queries `name` until `condition` holds for the reply, and says how long that took.
    ///
    /// - Throws: when `within` passes first, naming the last reply.
    public static func waitFor(
        _ name: String, port: Int, within: Duration, until condition: (Reply) -> Bool
    ) async throws -> Duration {
        let start = ContinuousClock.now
        var last: Reply?
        while ContinuousClock.now - start < within {
            let reply = try await query(name, port: port)
            if condition(reply) { return ContinuousClock.now - start }
            last = reply
            try await Task.sleep(for: .milliseconds(10))
        }
        throw LocalServiceError("\(name) still answered \(String(describing: last)) after \(within)")
    }
}

extension LoopbackPorts {
    /// A port on 127.0.0.1 that is free for both UDP and TCP right now (a DNS server binds both):
    /// the kernel picks a free UDP port, kept only when a TCP socket can bind it too (busy hosts
    /// have client connections on ephemeral ports).
    public static func freeForUDPAndTCP() throws -> Int {
        for _ in 0..<50 {
            let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            guard udp >= 0 else { throw LocalServiceError("socket() failed: \(errno)") }
            defer { close(udp) }
            guard let port = bindLoopback(udp, port: 0) else { throw LocalServiceError("bind() failed: \(errno)") }
            let tcp = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard tcp >= 0 else { throw LocalServiceError("socket() failed: \(errno)") }
            defer { close(tcp) }
            if bindLoopback(tcp, port: port) != nil { return port }
        }
        throw LocalServiceError("no port free for both UDP and TCP on 127.0.0.1 in 50 tries")
    }
}
