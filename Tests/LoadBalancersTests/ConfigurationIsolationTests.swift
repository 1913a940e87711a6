import Testing

@testable import LoadBalancers

/// One service on a taken port, applied with ``ConfigurationIsolation`` to each real driver: the
/// service on a free port is served, the other is left out with the driver's reason naming the address.
@Suite(.serialized)
struct ConfigurationIsolationTests {
    @Test func theTCPBalancerServesTheOthersWhenOnePortIsTaken() async throws {
        let backend = try await TestBackend.start("A")
        let busy = try await HTTPTestBackend.start("busy")
        let freeURL = "tcp://127.0.0.1:\(try freePort())"
        let takenURL = "tcp://127.0.0.1:\(busy.port)"
        let balancer = TCPBalancer()
        let outcome = await ConfigurationIsolation.apply(
            [
                BalancedService(url: takenURL, backends: [Backend(ip: backend.ip, port: backend.port)]),
                BalancedService(url: freeURL, backends: [Backend(ip: backend.ip, port: backend.port)]),
            ], to: balancer)
        #expect(outcome.applied.map(\.url) == [freeURL], "only the free port is served: \(outcome)")
        #expect(outcome.refused[takenURL]?.contains(takenURL) == true, "the reason names the address: \(outcome)")
        let port = try #require(await balancer.boundPort(for: freeURL), "the free service listens")
        #expect(try greeting(port: port) == "A")
        await balancer.shutdown()
        await backend.stop()
        await busy.stop()
    }

    @Test(.enabled(if: NginxBalancer.isInstalled(), "nginx is not installed"))
    func nginxServesTheOthersWhenOnePortIsTaken() async throws {
        try await withNginx { balancer, _ in
            try await Self.checkProgramDriver(balancer, scheme: "http", refusal: "bind()")
        }
    }

    @Test(.enabled(if: HAProxyBalancer.isInstalled(), "haproxy is not installed"))
    func haproxyServesTheOthersWhenOnePortIsTaken() async throws {
        try await withHAProxy { balancer, _ in
            try await Self.checkProgramDriver(balancer, scheme: "http", refusal: "cannot bind")
        }
    }

    /// A working service first; then a second on a taken port and a third on a free one: the first and
    /// third are served, the second refused; a later change still applies (the refused one stays out).
    static func checkProgramDriver(_ balancer: any LoadBalancerDriver, scheme: String, refusal: String) async throws {
        let a = try await HTTPTestBackend.start("A")
        let busy = try await HTTPTestBackend.start("busy")
        let firstPort = try freePort()
        let first = BalancedService(
            url: "\(scheme)://127.0.0.1:\(firstPort)/", backends: [Backend(ip: a.ip, port: a.port)])
        var outcome = await ConfigurationIsolation.apply([first], to: balancer)
        #expect(outcome.refused.isEmpty, "a free port is accepted: \(outcome)")
        let taken = BalancedService(
            url: "\(scheme)://127.0.0.1:\(busy.port)/", backends: [Backend(ip: a.ip, port: a.port)])
        let thirdPort = try freePort()
        let third = BalancedService(
            url: "\(scheme)://127.0.0.1:\(thirdPort)/", backends: [Backend(ip: a.ip, port: a.port)])
        outcome = await ConfigurationIsolation.apply([first, taken, third], to: balancer, known: [first.url])
        #expect(
            outcome.applied.map(\.url) == [first.url, third.url].sorted(),
            "the taken port alone is left out: \(outcome)")
        let reason = outcome.refused[taken.url] ?? ""
        #expect(reason.contains(refusal) && reason.contains("\(busy.port)"), "the reason names the address: \(reason)")
        #expect(try await httpGet(port: firstPort).body == "A", "the first service keeps serving")
        #expect(try await httpGet(port: thirdPort).body == "A", "the new service on a free port serves")
        await a.stop()
        await busy.stop()
    }
}
