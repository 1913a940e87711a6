import Foundation
import Testing
import ZooKeeperTesting

/// An instance the balancer keeps failing to reach is moved to errored and replaced once it has
/// `error_marks` marks.
@Suite("Error marks", .serialized)
struct ErrorMarksTests {
    @Test func anInstanceTheBalancerCannotReachIsReplaced() async throws {
        let reactor = try await APIAndManager.start("error-marks", manager: "marks")
        let api = reactor.api
        let manager = reactor.manager
        let http = reactor.http
        let balancerPort = try LoopbackPorts.free()
        // Registers, but serves nothing: every connection the balancer tries is refused.
        let deaf = #"curl -s --interface "$REACTOR_INSTANCE_IP" -X POST "$REACTOR_API/v1.1/register"; exec sleep 600"#
        let traffic = Task {
            while !Task.isCancelled {
                if let fd = LoopbackPorts.connect(port: balancerPort) { close(fd) }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        defer { traffic.cancel() }
        do {
            try await eventually("the API answers") { (try? await http.get("/"))?.status == 200 }
            let config: [String: Any] = [
                "endpoint": [
                    "url": "tcp://127.0.0.1:\(balancerPort)", "loadbalancer": "tcp", "cloud": "process", "port": "8000",
                    "error_marks": "3",
                ],
                "scaling": ["min_instances": "1", "max_instances": "1"],
                "cloud:process": ["command": deaf, "addresses": "127.0.8.0/24"],
            ]
            #expect(try await http.post("/v1.1/endpoints/deaf", config).status == 200)
            #expect(try await http.post("/v1.1/endpoints/deaf/state", ["action": "start"]).status == 200)
            var first: [String] = []
            try await eventually("the instance registered", timeout: .seconds(20)) {
                first = try await http.strings("/v1.1/endpoints/deaf/instances")
                guard !first.isEmpty else { return false }
                return try await http.strings("/v1.1/endpoints/deaf/ips").count == 1
            }
            try await eventually("it is replaced after 3 error marks", timeout: .seconds(20)) {
                let now = try await http.strings("/v1.1/endpoints/deaf/instances")
                return !now.isEmpty && Set(now).isDisjoint(with: first)
            }
            try await eventually("the log says why it was replaced") {
                try await http.get("/v1.1/endpoints/deaf/log").text
                    .contains("errored: the balancers reported failures in 3 passes in a row")
            }
        } catch {
            Issue.record("manager log:\n\(manager.logTail(30))")
            _ = try? await http.post("/v1.1/endpoints/deaf/state", ["action": "stop"])
            await manager.kill()
            await api.kill()
            reactor.killInstances()
            throw error
        }
        _ = try? await http.post("/v1.1/endpoints/deaf/state", ["action": "stop"])
        try? await eventually("instances stopped", timeout: .seconds(10)) {
            try await http.strings("/v1.1/endpoints/deaf/instances").isEmpty
        }
        await manager.kill()
        await api.kill()
        reactor.killInstances()
    }
}
