import Foundation
import Testing

@testable import LoadBalancers

#if canImport(Glibc)
import Glibc
#endif

/// nginx's `active` comes from the kernel's socket table: the parsing of its addresses, and a
/// count of this process's own connections against a listener of its own.
@Suite struct SocketTableTests {
    @Test func addressesAsTheKernelPrintsThem() {
        #expect(SocketTable.address("0100007F:1F90") == "127.0.0.1:8080")
        #expect(SocketTable.address("0504000A:0050") == "10.0.4.5:80")
        #expect(SocketTable.address("00000000000000000000000001000000:1F90") == "::1:8080")
        #expect(SocketTable.address("0000000000000000FFFF00000100007F:0016") == "127.0.0.1:22")
        #expect(SocketTable.address("nonsense") == nil)
        #expect(SocketTable.address("0100007F:XYZ") == nil)
    }

    @Test func connectionsOfAProcessAreCountedByRemoteAddress() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 8) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let before = SocketTable.establishedConnections(of: [getpid()])["127.0.0.1:\(port)"] ?? 0
        var clients: [Int32] = []
        defer { for fd in clients { close(fd) } }
        for _ in 0..<3 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            try #require(connected)
            clients.append(fd)
        }
        let counts = SocketTable.establishedConnections(of: [getpid()])
        #expect(before == 0)
        #expect(counts["127.0.0.1:\(port)"] == 3, "three connections to the listener: \(counts)")
        #expect(SocketTable.establishedConnections(of: [999_999_999]).isEmpty, "a process that is not there")
    }
}
