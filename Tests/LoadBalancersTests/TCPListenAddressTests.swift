import Testing

@testable import LoadBalancers

@Suite struct TCPListenAddressTests {
    @Test func hostDefaultsToAllInterfaces() throws {
        #expect(try TCPListenAddress(url: "tcp://8080") == TCPListenAddress(url: "tcp://0.0.0.0:8080"))
        #expect(try TCPListenAddress(url: "tcp://8080").host == "0.0.0.0")
    }

    @Test func hostsAndPortsAreRead() throws {
        let v4 = try TCPListenAddress(url: "tcp://10.1.2.3:9000")
        #expect(v4.host == "10.1.2.3" && v4.port == 9000)
        let v6 = try TCPListenAddress(url: "tcp://[::1]:9000")
        #expect(v6.host == "::1" && v6.port == 9000)
    }

    @Test(arguments: ["http://8080", "tcp://", "tcp://host:", "tcp://:80", "tcp://1.2.3.4:99999", "tcp://a/b:1"])
    func badURLsAreRejected(_ url: String) {
        #expect(throws: TCPBalancerError.invalidURL(url)) { try TCPListenAddress(url: url) }
    }
}
