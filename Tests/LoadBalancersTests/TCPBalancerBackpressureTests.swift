import LoadBalancers
import Testing

/// A transfer larger than every socket buffer on the way: only completes if parked reads resume.
@Suite struct TCPBalancerBackpressureTests {
    @Test func aLargeEchoCompletesThroughTheBalancer() async throws {
        let a = try await TestBackend.start("A")
        let (balancer, port) = try await startBalancer(loopbackService([a]))
        let client = try TestClient(port: port, timeout: 10)
        #expect(try client.readLine() == "A")
        let size = 8 * 1024 * 1024
        let sender = Task.detached { try client.sendFiller(count: size) }
        let echoed = try client.readCount(size)
        try await sender.value
        #expect(echoed == size, "all \(size) bytes should come back, got \(echoed)")
        let bytes = try #require(await balancer.metrics()[a.address]?["bytes"]?.last)
        #expect(bytes > 0)
        client.close()
        await balancer.shutdown()
        await a.stop()
    }
}
