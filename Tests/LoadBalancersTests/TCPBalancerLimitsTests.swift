import LoadBalancers
import Testing

/// `max_connections` and `idle_timeout` of `[loadbalancer:tcp]`, on real sockets.
@Suite(.serialized) struct TCPBalancerLimitsTests {
    @Test func anIdleConnectionIsClosedAfterTheIdleTimeout() async throws {
        let a = try await TestBackend.start("A")
        let (balancer, port) = try await startBalancer(loopbackService([a], settings: ["idle_timeout": "1"]))
        let client = try TestClient(port: port)
        #expect(try client.readLine() == "A", "the connection should be greeted by A")
        // Activity keeps it open past the idle timeout.
        for _ in 0..<3 {
            try await Task.sleep(for: .milliseconds(500))
            try client.send("still here\n")
            #expect(try client.readLine() == "still here", "an active connection should stay open")
        }
        let quiet = ContinuousClock.now
        #expect(try client.readToEnd() == "", "the idle connection should be closed without data")
        let waited = ContinuousClock.now - quiet
        #expect(waited >= .milliseconds(900) && waited < .seconds(2), "closed after 1 s idle, not \(waited)")
        #expect(await eventually { await balancer.sessions().isEmpty }, "the idle session should be gone")
        client.close()
        await balancer.shutdown()
        await a.stop()
    }

    @Test func connectionsBeyondMaxConnectionsAreClosedAtOnce() async throws {
        let a = try await TestBackend.start("A")
        let (balancer, port) = try await startBalancer(loopbackService([a], settings: ["max_connections": "2"]))
        let clients = try openEchoedClients(2, port: port, greetedBy: "A")
        let refused = try TestClient(port: port)
        #expect(try refused.readToEnd() == "", "a connection beyond max_connections should be closed at once")
        refused.close()
        #expect(await balancer.sessions().count == 2, "the connections within the limit should stay open")
        clients[0].close()
        let servedAgain = await eventually {
            (try? greeting(port: port)) == "A"  // refused while the closed one is still counted
        }
        #expect(servedAgain, "a new connection should be served once one under the limit closed")
        clients[1].close()
        await balancer.shutdown()
        await a.stop()
    }

    @Test func badLimitsAreRefusedByTheBalancer() async throws {
        let balancer = TCPBalancer()
        await #expect(throws: TCPBalancerError.self, "max_connections 0 should be refused") {
            try await balancer.configure([loopbackService([], settings: ["max_connections": "0"])])
        }
        #expect(await balancer.boundPort(for: loopbackURL) == nil, "nothing should listen for a refused section")
        await balancer.shutdown()
    }
}
