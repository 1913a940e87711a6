@testable import LoadBalancers
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The haproxy balancer against the real haproxy binary: routing by weight, live changes, stickiness,
/// sessions, metrics, rejected configurations and shutdown.
@Suite(.serialized, .enabled(if: HAProxyBalancer.isInstalled(), "haproxy is not installed"))
struct HAProxyBalancerTests {
    @Test func connectionsSplitByWeight() async throws {
        try await withHAProxy { balancer, _ in
            let a = try await HTTPTestBackend.start("A")
            let b = try await HTTPTestBackend.start("B")
            let port = try freePort()
            try await balancer.configure([
                BalancedService(
                    url: "tcp://127.0.0.1:\(port)",
                    backends: [Backend(ip: a.ip, port: a.port, weight: 2), Backend(ip: b.ip, port: b.port, weight: 1)])
            ])
            let seen = await backendCounts(port: port, count: 300)
            #expect(seen.keys.sorted() == ["A", "B"], "every connection should reach A or B: \(seen)")
            #expect(abs((seen["A"] ?? 0) - 200) <= 30, "weights 2:1 over 300 connections should give about 200:100, got \(seen)")
            await a.stop()
            await b.stop()
        }
    }

    @Test func backendChangesApplyWithinASecondWithoutFailedConnections() async throws {
        try await withHAProxy { balancer, _ in
            let a = try await HTTPTestBackend.start("A")
            let b = try await HTTPTestBackend.start("B")
            let c = try await HTTPTestBackend.start("C")
            let port = try freePort()
            let url = "tcp://127.0.0.1:\(port)"
            func service(_ backends: [HTTPTestBackend]) -> BalancedService {
                BalancedService(url: url, backends: backends.map { Backend(ip: $0.ip, port: $0.port) })
            }
            try await balancer.configure([service([a, b])])
            let master = await balancer.masterPID
            let hammer = Hammer(port: port, clients: 3)
            let slow = Task { try await httpGet(port: port, path: "/delay/700") }
            try await Task.sleep(for: .milliseconds(300))

            let addedAt = ContinuousClock.now
            try await balancer.configure([service([a, b, c])])
            try await Task.sleep(for: .seconds(1))
            let removedAt = ContinuousClock.now
            try await balancer.configure([service([b, c])])
            try await Task.sleep(for: .seconds(1))
            let results = await hammer.stop()
            let slowResponse = try await slow.value

            #expect(results.count > 100, "the hammer should have sent many requests, sent \(results.count)")
            let failures = results.filter { $0.error != nil }
            let failureMessages = failures.prefix(3).compactMap(\.error)
            #expect(failures.isEmpty, "no connection may fail across reloads; \(failures.count) of \(results.count) did: \(failureMessages)")
            let firstC = results.first { $0.backend == "C" && $0.at > addedAt }
            #expect(firstC.map { $0.at - addedAt < .seconds(1) } == true, "an added backend should get traffic within 1 s")
            let lateA = results.filter { $0.backend == "A" && $0.at > removedAt + .seconds(1) }
            #expect(lateA.isEmpty, "a removed backend should get no traffic 1 s after the change, got \(lateA.count)")
            #expect(slowResponse.status == 200, "a connection open during a reload should complete")
            #expect(await balancer.masterPID == master, "a reload keeps the same master")
            for backend in [a, b, c] { await backend.stop() }
        }
    }

    @Test func stickySessionsKeepEachClientOnOneBackend() async throws {
        try await withHAProxy { balancer, _ in
            let backends = [try await HTTPTestBackend.start("A"), try await HTTPTestBackend.start("B"), try await HTTPTestBackend.start("C")]
            let port = try freePort()
            try await balancer.configure([
                BalancedService(
                    url: "http://127.0.0.1:\(port)", backends: backends.map { Backend(ip: $0.ip, port: $0.port) },
                    settings: ["sticky_sessions": "true"])
            ])
            var used: Set<String> = []
            for client in 2...9 {
                var seen: Set<String> = []
                for _ in 0..<10 {
                    seen.insert(try await httpGet(port: port, from: "127.0.0.\(client)").body)
                }
                #expect(seen.count == 1, "client 127.0.0.\(client) should stick to one backend, saw \(seen)")
                used.formUnion(seen)
            }
            #expect(used.count >= 2, "eight clients should spread over the backends, all went to \(used)")
            for backend in backends { await backend.stop() }
        }
    }

    @Test func sessionsAreListedSurviveReloadsAndAreDropped() async throws {
        try await withHAProxy { balancer, _ in
            let a = try await TestBackend.start("A")
            let b = try await TestBackend.start("B")
            let port = try freePort()
            try await balancer.configure([BalancedService(url: "tcp://127.0.0.1:\(port)", backends: [Backend(ip: a.ip, port: a.port)])])
            let client = try TestClient(port: port)
            #expect(try client.readLine() == "A")
            let listed = await eventually { await balancer.sessions()[client.localAddress] == a.address }
            let sessions = await balancer.sessions()
            #expect(listed, "the session should map client to backend: \(sessions)")

            // A reload moves new connections to B; the open one stays with the old worker, still listed.
            try await balancer.configure([BalancedService(url: "tcp://127.0.0.1:\(port)", backends: [Backend(ip: b.ip, port: b.port)])])
            try client.send("still here\n")
            #expect(try client.readLine() == "still here", "a reload should not cut an open connection")
            #expect(await balancer.sessions()[client.localAddress] == a.address, "the old worker's session is listed")

            #expect(await balancer.dropSession(client.localAddress))
            #expect(try client.readLine() == nil, "a dropped session should close the client's connection")
            #expect(await eventually { await balancer.sessions()[client.localAddress] == nil }, "the dropped session should be gone")
            #expect(await balancer.dropSession("127.0.0.1:1") == false)
            client.close()
            await a.stop()
            await b.stop()
        }
    }

    @Test func metricsReportActiveRateAndBytes() async throws {
        try await withHAProxy { balancer, _ in
            let a = try await TestBackend.start("A")
            let port = try freePort()
            try await balancer.configure([BalancedService(url: "tcp://127.0.0.1:\(port)", backends: [Backend(ip: a.ip, port: a.port, weight: 2)])])
            _ = await balancer.metrics()  // starts the measuring interval
            let clients = try (0..<2).map { _ in try TestClient(port: port) }
            for client in clients {
                #expect(try client.readLine() == "A")
                try client.send("hello\n")
                #expect(try client.readLine() == "hello")
            }
            let metrics = try #require(await balancer.metrics()[a.address])
            #expect(metrics["active"] == [2, 2], "two open connections at weight 2: \(metrics)")
            #expect((metrics["rate"]?.last ?? 0) > 0, "two new connections should give a rate: \(metrics)")
            for client in clients { client.close() }
            // haproxy adds a connection's bytes to its backend when the connection ends.
            #expect(await eventually { await balancer.sessions().isEmpty }, "closed connections should end")
            let closed = try #require(await balancer.metrics()[a.address])
            #expect(closed["active"]?.last == 0, "closed connections leave active: \(closed)")
            #expect((closed["bytes"]?.last ?? 0) > 0, "greetings and echoes should count bytes: \(closed)")
            let idle = try #require(await balancer.metrics()[a.address])
            #expect(idle["rate"]?.last == 0 && idle["bytes"]?.last == 0, "no new traffic since the last call: \(idle)")
            #expect(await balancer.pending().isEmpty)
            await a.stop()
        }
    }

    @Test func aRejectedConfigurationThrowsAndThePreviousOneKeepsServing() async throws {
        try await withHAProxy { balancer, _ in
            let a = try await HTTPTestBackend.start("A")
            let port = try freePort()
            let working = BalancedService(url: "http://127.0.0.1:\(port)", backends: [Backend(ip: a.ip, port: a.port)])
            try await balancer.configure([working])
            #expect(try await httpGet(port: port).body == "A")
            let master = await balancer.masterPID

            let unresolvable = BalancedService(url: "http://no-such-host.invalid:\(try freePort())", backends: working.backends)
            do {
                try await balancer.configure([working, unresolvable])
                Issue.record("an address haproxy cannot resolve should make configure throw")
            } catch let error as HAProxyBalancerError {
                guard case .rejected(let message) = error else {
                    Issue.record("expected .rejected, got \(error)")
                    return
                }
                #expect(message.contains("no-such-host.invalid"), "haproxy's message should name the address: \(message)")
            }
            await #expect(throws: HAProxyBalancerError.invalidSetting(key: "mode", value: "udp", expected: "tcp or http")) {
                try await balancer.configure([BalancedService(url: working.url, backends: working.backends, settings: ["mode": "udp"])])
            }
            #expect(try await httpGet(port: port).body == "A", "the previous configuration keeps serving")
            #expect(await balancer.masterPID == master)
            await a.stop()
        }
    }

    @Test func aServiceWithoutBackendsRedirectsInHTTPMode() async throws {
        try await withHAProxy { balancer, _ in
            let port = try freePort()
            try await balancer.configure([
                BalancedService(url: "http://127.0.0.1:\(port)", backends: [], redirect: "https://example.com/sorry")
            ])
            let moved = try await httpGet(port: port)
            #expect(moved.status == 302 && moved.headers["location"] == "https://example.com/sorry", "got \(moved)")
        }
    }

    @Test func shutdownStopsTheMasterAndItsWorkers() async throws {
        try await withHAProxy { balancer, _ in
            let a = try await TestBackend.start("A")
            let port = try freePort()
            try await balancer.configure([BalancedService(url: "tcp://127.0.0.1:\(port)", backends: [Backend(ip: a.ip, port: a.port)])])
            let client = try TestClient(port: port)
            #expect(try client.readLine() == "A")
            let master = try #require(await balancer.masterPID)
            let workers = ProcessTable.children(of: master).map(\.pid)
            #expect(!workers.isEmpty)
            await balancer.shutdown()
            #expect(!ProcessTable.isAlive(master), "the master should be gone")
            #expect(workers.allSatisfy { !ProcessTable.isAlive($0) }, "the workers should be gone")
            #expect(try client.readLine() == nil, "shutdown closes open connections")
            client.close()
            await a.stop()
        }
    }
}
