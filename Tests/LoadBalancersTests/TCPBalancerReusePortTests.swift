import LoadBalancers
import Testing

/// Two balancers (two managers on one host) serving the same port.
@Suite struct TCPBalancerReusePortTests {
    @Test func twoBalancersOnOnePortBothAccept() async throws {
        let a = try await TestBackend.start("A")
        let b = try await TestBackend.start("B")
        let (first, port) = try await startBalancer(loopbackService([a]))
        let second = TCPBalancer()
        let sharedURL = "tcp://127.0.0.1:\(port)"
        try await second.configure([BalancedService(url: sharedURL, backends: [Backend(ip: b.ip, port: b.port)])])
        #expect(await second.boundPort(for: sharedURL) == port)
        var seen: Set<String> = []
        for _ in 0..<64 where seen.count < 2 {
            seen.insert(try greeting(port: port))
        }
        #expect(seen == ["A", "B"], "SO_REUSEPORT should spread connections over both balancers, got \(seen)")
        await first.shutdown()
        await second.shutdown()
        await a.stop()
        await b.stop()
    }
}
