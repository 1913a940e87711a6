import LoadBalancers
import Testing

/// Scale from zero: connections held while a service has no backend.
@Suite(.serialized) struct TCPBalancerHoldTests {
    @Test func aHeldConnectionIsServedWhenABackendAppears() async throws {
        let (balancer, port) = try await startBalancer(loopbackService([], holdTimeout: .seconds(5)))
        let client = try TestClient(port: port)
        try client.send("waiting\n")
        #expect(await eventually { await balancer.pending()[loopbackURL] == 1 }, "the connection should be held")
        let a = try await TestBackend.start("A")
        try await balancer.configure([loopbackService([a], holdTimeout: .seconds(5))])
        #expect(try client.readLine() == "A", "the held connection should reach the new backend")
        #expect(try client.readLine() == "waiting", "bytes sent while held should be delivered")
        #expect(await balancer.pending()[loopbackURL] == 0)
        client.close()
        await balancer.shutdown()
        await a.stop()
    }

    @Test func aHeldConnectionIsClosedAfterTheHoldTime() async throws {
        let (balancer, port) = try await startBalancer(loopbackService([], holdTimeout: .milliseconds(300)))
        let started = ContinuousClock.now
        let client = try TestClient(port: port)
        #expect(try client.readToEnd() == "", "the held connection should be closed without data")
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(250) && waited < .seconds(2), "closed after the hold time, not \(waited)")
        #expect(await eventually { await balancer.pending()[loopbackURL] == 0 })
        client.close()
        await balancer.shutdown()
    }

    @Test func aHeldConnectionIsRedirectedAfterTheHoldTime() async throws {
        let (balancer, port) = try await startBalancer(
            loopbackService([], holdTimeout: .milliseconds(300), redirect: "http://example.invalid/wait"))
        let client = try TestClient(port: port)
        try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readToEnd()
        #expect(response.hasPrefix("HTTP/1.1 302 Found\r\n"), "expected a 302, got \(response)")
        #expect(response.contains("\r\nLocation: http://example.invalid/wait\r\n"), "expected the redirect URL")
        client.close()
        await balancer.shutdown()
    }
}
