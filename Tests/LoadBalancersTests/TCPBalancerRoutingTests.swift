import LoadBalancers
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Where new connections go: weights, algorithms, live backend changes and failed backends.
@Suite(.serialized) struct TCPBalancerRoutingTests {
    @Test func roundRobinSplitsConnectionsByWeight() async throws {
        let a = try await TestBackend.start("A")
        let b = try await TestBackend.start("B")
        let (balancer, port) = try await startBalancer(loopbackService([a, b], weights: [1, 3]))
        var seen: [String: Int] = [:]
        for _ in 0..<40 {
            seen[try greeting(port: port), default: 0] += 1
        }
        #expect(seen == ["A": 10, "B": 30], "weights 1:3 over 40 connections should give 10:30, got \(seen)")
        await balancer.shutdown()
        await a.stop()
        await b.stop()
    }

    @Test func leastConnectionsFillsByWeight() async throws {
        let a = try await TestBackend.start("A")
        let b = try await TestBackend.start("B")
        let (balancer, port) = try await startBalancer(
            loopbackService([a, b], weights: [1, 2], algorithm: .leastConnections))
        var open: [TestClient] = []
        var seen: [String: Int] = [:]
        for _ in 0..<9 {
            let client = try TestClient(port: port)
            seen[try client.readLine() ?? "<closed>", default: 0] += 1
            open.append(client)
        }
        #expect(seen == ["A": 3, "B": 6], "9 open connections at weights 1:2 should split 3:6, got \(seen)")
        for client in open { client.close() }
        await balancer.shutdown()
        await a.stop()
        await b.stop()
    }

    @Test func backendChangesApplyToNewConnectionsOnly() async throws {
        let a = try await TestBackend.start("A")
        let b = try await TestBackend.start("B")
        let c = try await TestBackend.start("C")
        let (balancer, port) = try await startBalancer(loopbackService([a, b]))
        let inFlight = try TestClient(port: port)
        let first = try inFlight.readLine()
        #expect(first == "A" || first == "B")

        // Remove A and B, add C: new connections go to C within 1 s; the open one keeps working.
        let removedAt = ContinuousClock.now
        try await balancer.configure([BalancedService(url: loopbackURL, backends: [Backend(ip: c.ip, port: c.port)])])
        var afterRemoval: Set<String> = []
        for _ in 0..<5 {
            afterRemoval.insert(try greeting(port: port))
        }
        #expect(afterRemoval == ["C"], "removed backends should get no new connections, got \(afterRemoval)")
        #expect(ContinuousClock.now - removedAt < .seconds(1))
        try inFlight.send("still here\n")
        #expect(try inFlight.readLine() == "still here", "a connection to a removed backend should keep running")

        // Add A back: it gets new connections within 1 s.
        let addedAt = ContinuousClock.now
        try await balancer.configure([loopbackService([a, c])])
        var afterAdd: Set<String> = []
        for _ in 0..<4 {
            afterAdd.insert(try greeting(port: port))
        }
        #expect(afterAdd == ["A", "C"], "an added backend should get new connections, got \(afterAdd)")
        #expect(ContinuousClock.now - addedAt < .seconds(1))
        try inFlight.send("and still\n")
        #expect(try inFlight.readLine() == "and still")
        inFlight.close()
        await balancer.shutdown()
        for backend in [a, b, c] { await backend.stop() }
    }

    @Test func aFailedBackendIsSkippedAndCountedAsErrors() async throws {
        let dead = try await TestBackend.start("dead")
        await dead.stop()
        let live = try await TestBackend.start("live")
        let (balancer, port) = try await startBalancer(loopbackService([dead, live]))
        for _ in 0..<4 {
            #expect(try greeting(port: port) == "live", "every connection should reach the live backend")
        }
        let metrics = await balancer.metrics()
        let errors = metrics[dead.address]?["errors"]?.last ?? 0
        #expect(errors >= 1, "connect failures should count as errors of \(dead.address): \(metrics)")
        #expect(metrics[live.address]?["errors"]?.last == 0)
        await balancer.shutdown()
        await live.stop()
    }

    @Test func backendsThatAreNotIPAddressesAreIgnored() async throws {
        let live = try await TestBackend.start("live")
        var service = loopbackService([live])
        service.backends += [Backend(ip: "web.example", port: 80), Backend(ip: "10.0.0.1", port: 70000)]
        let (balancer, port) = try await startBalancer(service)
        for _ in 0..<3 {
            #expect(try greeting(port: port) == "live")
        }
        #expect(Set(await balancer.metrics().keys) == [live.address], "only the usable backend is configured")
        await balancer.shutdown()
        await live.stop()
    }

    @Test(.enabled(if: ipv6LoopbackWorks(), "IPv6 loopback is needed"))
    func ipv6ListenersBackendsAndSessions() async throws {
        let backend = try await TestBackend.start("six", ip: "::1")
        let balancer = TCPBalancer()
        let service = BalancedService(url: "tcp://[::1]:0", backends: [Backend(ip: "::1", port: backend.port)])
        try await balancer.configure([service])
        let port = try #require(await balancer.boundPort(for: service.url))
        let client = try TestClient(port: port, ip: "::1")
        #expect(try client.readLine() == "six")
        try client.send("ping\n")
        #expect(try client.readLine() == "ping")
        #expect(await balancer.sessions() == [client.localAddress: backend.address])
        #expect(await balancer.dropSession(client.localAddress))
        #expect(try client.readLine() == nil, "a dropped session is cut")
        client.close()
        await balancer.shutdown()
        await backend.stop()
    }
}

/// Whether a socket can be bound to ::1 here.
func ipv6LoopbackWorks() -> Bool {
    let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in6()
    address.sin6_family = sa_family_t(AF_INET6)
    inet_pton(AF_INET6, "::1", &address.sin6_addr)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
    } == 0
}
