import LoadBalancers
import Testing

/// Sessions, cutting them, and the per-backend metrics.
@Suite(.serialized) struct TCPBalancerSessionTests {
    @Test func sessionsAreListedAndDropped() async throws {
        let a = try await TestBackend.start("A")
        let (balancer, port) = try await startBalancer(loopbackService([a]))
        let client = try TestClient(port: port)
        #expect(try client.readLine() == "A")
        let sessions = await balancer.sessions()
        #expect(sessions == [client.localAddress: a.address], "the session should map client to backend")

        #expect(await balancer.dropSession(client.localAddress))
        #expect(try client.readLine() == nil, "a dropped session should close the client's connection")
        #expect(await eventually { await balancer.sessions().isEmpty }, "the dropped session should be gone")
        #expect(await eventually { await balancer.metrics()[a.address]?["active"]?.last == 0 }, "backend side closed")
        #expect(await balancer.dropSession("127.0.0.1:1") == false)
        client.close()
        await balancer.shutdown()
        await a.stop()
    }

    @Test func metricsCountActiveConnectionsRateAndBytes() async throws {
        let a = try await TestBackend.start("A")
        let (balancer, port) = try await startBalancer(loopbackService([a], weights: [2]))
        _ = await balancer.metrics()  // starts the measuring interval
        let clients = try openEchoedClients(2, port: port, greetedBy: "A")
        let metrics = try #require(await balancer.metrics()[a.address])
        #expect(metrics["active"] == [2, 2], "two open connections at weight 2: \(metrics)")
        #expect((metrics["rate"]?.last ?? 0) > 0, "two new connections should give a rate: \(metrics)")
        #expect((metrics["bytes"]?.last ?? 0) > 0, "greetings and echoes should count bytes: \(metrics)")
        #expect(metrics["rate"]?.first == 2 && metrics["bytes"]?.first == 2, "the weight is the backend's")

        for client in clients { client.close() }
        #expect(
            await eventually { await balancer.metrics()[a.address]?["active"]?.last == 0 },
            "closed connections should leave active"
        )
        let idle = try #require(await balancer.metrics()[a.address])
        #expect(idle["rate"]?.last == 0 && idle["bytes"]?.last == 0, "no new traffic since the last call: \(idle)")
        await balancer.shutdown()
        await a.stop()
    }
}
