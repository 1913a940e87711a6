import Foundation
import Testing
import ZooKeeperTesting

/// `static_instances` with host names: each manager resolves them at every pass, every address a
/// backend; a name that does not resolve is a warning in the endpoint's log, and the endpoint is
/// still served by the rest.
@Suite("Static instances by host name", .serialized)
struct StaticHostsTests {
    @Test func hostNamesAreResolvedAndServed() async throws {
        let reactor = try await APIAndManager.start("static-hosts", manager: "static-a")
        let http = reactor.http
        let balancerPort = try LoopbackPorts.free()
        let backendPort = try LoopbackPorts.free()
        // Both of localhost's addresses answer (127.0.0.1 and, where /etc/hosts has it, ::1).
        let backend = try ManagedProcess(
            ["/usr/bin/env", "python3", "-m", "http.server", "--bind", "::", "\(backendPort)"],
            logPath: reactor.logs + "/backend.log")
        do {
            try await eventually("the API answers") { (try? await http.get("/").status) == 200 }
            let config: [String: Any] = [
                "endpoint": [
                    "url": "tcp://127.0.0.1:\(balancerPort)", "loadbalancer": "tcp", "port": "\(backendPort)",
                    "static_instances": "localhost, no-such-host.invalid",
                ]
            ]
            let created = try await http.post("/v1.1/endpoints/named", config)
            #expect(created.status == 200, "\(created.text)")
            let front = HTTP(base: "http://127.0.0.1:\(balancerPort)")
            try await eventually("the balancer serves the resolved name", timeout: .seconds(20)) {
                (try? await front.get("/"))?.status == 200
            }
            try await eventually("the log says which name does not resolve", timeout: .seconds(10)) {
                let log = try await http.get("/v1.1/endpoints/named/log").json as? [[Any]] ?? []
                return log.contains {
                    ($0.last as? String)?.contains("'no-such-host.invalid' does not resolve") == true
                }
            }
            #expect(try await http.get("/v1.1/endpoints/named").text.contains("localhost"), "the name is kept")
        } catch {
            Issue.record("manager log:\n\(reactor.manager.logTail(30))")
            await backend.kill()
            await reactor.manager.kill()
            await reactor.api.kill()
            throw error
        }
        await backend.kill()
        await reactor.manager.kill()
        await reactor.api.kill()
    }
}
