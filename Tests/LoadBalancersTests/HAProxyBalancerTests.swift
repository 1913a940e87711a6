import ProcessSupport
import Testing

@testable import LoadBalancers

#if canImport(Glibc)
import Glibc
#endif

/// The haproxy balancer against the real haproxy binary: routing by weight, live changes, stickiness,
/// sessions, metrics, rejected configurations and shutdown.
@Suite(.serialized, .enabled(if: HAProxyBalancer.isInstalled(), "haproxy is not installed"))
struct HAProxyBalancerTests {
    @Test func connectionsSplitByWeight() async throws {
        try await withHAProxy { balancer, _ in try await checks(balancer).splitByWeight() }
    }

    @Test func backendChangesApplyWithinASecondWithoutFailedConnections() async throws {
        try await withHAProxy { balancer, _ in
            try await checks(balancer).backendChangesApplyWithinASecondWithoutFailures()
        }
    }

    @Test func stickySessionsKeepEachClientOnOneBackend() async throws {
        // Stickiness by client address needs HTTP mode.
        try await withHAProxy { balancer, _ in
            try await checks(balancer, url: { "http://127.0.0.1:\($0)" }).stickySessionsKeepEachClientOnOneBackend()
        }
    }

    @Test func sessionsAreListedSurviveReloadsAndAreDropped() async throws {
        try await withHAProxy { balancer, _ in
            let a = try await TestBackend.start("A")
            let b = try await TestBackend.start("B")
            let port = try freePort()
            try await balancer.configure([
                BalancedService(url: "tcp://127.0.0.1:\(port)", backends: [Backend(ip: a.ip, port: a.port)])
            ])
            let client = try TestClient(port: port)
            #expect(try client.readLine() == "A")
            let listed = await eventually { await balancer.sessions()[client.localAddress] == a.address }
            let sessions = await balancer.sessions()
            #expect(listed, "the session should map client to backend: \(sessions)")

            // A reload moves new connections to B; the open one stays with the old worker, still listed.
            try await balancer.configure([
                BalancedService(url: "tcp://127.0.0.1:\(port)", backends: [Backend(ip: b.ip, port: b.port)])
            ])
            try client.send("still here\n")
            #expect(try client.readLine() == "still here", "a reload should not cut an open connection")
            #expect(await balancer.sessions()[client.localAddress] == a.address, "the old worker's session is listed")

            #expect(await balancer.dropSession(client.localAddress))
            #expect(try client.readLine() == nil, "a dropped session should close the client's connection")
            #expect(
                await eventually { await balancer.sessions()[client.localAddress] == nil },
                "the dropped session should be gone")
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
            try await balancer.configure([
                BalancedService(url: "tcp://127.0.0.1:\(port)", backends: [Backend(ip: a.ip, port: a.port, weight: 2)])
            ])
            _ = await balancer.metrics()  // starts the measuring interval
            let clients = try openEchoedClients(2, port: port, greetedBy: "A")
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

            let unresolvable = BalancedService(
                url: "http://no-such-host.invalid:\(try freePort())", backends: working.backends)
            do {
                try await balancer.configure([working, unresolvable])
                Issue.record("an address haproxy cannot resolve should make configure throw")
            } catch let error as HAProxyBalancerError {
                guard case .rejected(let message) = error else {
                    Issue.record("expected .rejected, got \(error)")
                    return
                }
                #expect(
                    message.contains("no-such-host.invalid"), "haproxy's message should name the address: \(message)")
            }
            await #expect(
                throws: HAProxyBalancerError.invalidSetting(key: "mode", value: "udp", expected: "tcp or http")
            ) {
                try await balancer.configure([
                    BalancedService(url: working.url, backends: working.backends, settings: ["mode": "udp"])
                ])
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
            try await balancer.configure([
                BalancedService(url: "tcp://127.0.0.1:\(port)", backends: [Backend(ip: a.ip, port: a.port)])
            ])
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

    private func checks(
        _ balancer: HAProxyBalancer, url: @escaping (Int) -> String = { "tcp://127.0.0.1:\($0)" }
    ) -> ProcessBalancerChecks<HAProxyBalancer> {
        ProcessBalancerChecks(balancer: balancer, url: url, unit: "connection")
    }
}
