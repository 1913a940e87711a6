import Foundation
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

/// The built-in tcp balancer in front of the process cloud: a client connecting to an endpoint
/// with no instance is held, an instance is launched for it, and the held connection is served.
@Suite("Scale from zero", .serialized)
struct ScaleFromZeroTests {
    @Test func aHeldConnectionGetsAnInstance() async throws {
        let reactor = try await APIAndManager.start("scale-from-zero", manager: "front-a")
        let http = reactor.http
        let balancerPort = try LoopbackPorts.free()
        let instancePort = try LoopbackPorts.free()
        do {
            try await eventually("the API answers") { (try? await http.get("/").status) == 200 }
            let config: [String: Any] = [
                "endpoint": [
                    "url": "tcp://127.0.0.1:\(balancerPort)", "loadbalancer": "tcp", "cloud": "process",
                    "port": "\(instancePort)",
                ],
                "scaling": ["min_instances": "0", "max_instances": "2"],
                "loadbalancer:tcp": ["hold_timeout": "30"],
                "cloud:process": [
                    "command": "sh \(ProcessCloudEndToEndTests.instanceScript)", "addresses": "127.0.3.0/24",
                ],
            ]
            let created = try await http.post("/v1.1/endpoints/zero", config)
            #expect(created.status == 200, "\(created.text)")
            #expect(try await http.post("/v1.1/endpoints/zero/state", ["action": "start"]).status == 200)

            // Running with min_instances 0 and no load: nothing is launched.
            try await eventually("the balancer listens") { Self.canConnect(port: balancerPort) }
            try await Task.sleep(for: .seconds(1))
            #expect(try await http.strings("/v1.1/endpoints/zero/instances").isEmpty, "no instance without load")

            // A client arrives: it is held, an instance starts, registers, and serves it.
            let started = ContinuousClock.now
            let page = try await HTTP(base: "http://127.0.0.1:\(balancerPort)").get("/")
            let waited = ContinuousClock.now - started
            #expect(
                page.status == 200 && page.text.hasPrefix("instance "),
                "served by an instance: \(page.status) \(page.text)")
            #expect(waited < .seconds(30), "within the hold time (waited \(waited))")
            #expect(try await http.strings("/v1.1/endpoints/zero/instances").count == 1)
            let log = try await http.get("/v1.1/endpoints/zero/log").json as? [[Any]] ?? []
            #expect(
                log.contains { ($0.last as? String)?.contains("scale from zero") == true },
                "the log says why an instance was launched")

            // The balancer's metrics reach the endpoint's computed metrics.
            try await eventually("balancer metrics in the endpoint metrics") {
                let metrics = try await http.get("/v1.1/endpoints/zero/metrics").json as? [String: Double]
                return metrics?["bytes"] != nil || metrics?["rate"] != nil || metrics?["active"] != nil
            }
        } catch {
            await cleanUp(reactor)
            throw error
        }
        await cleanUp(reactor)
    }

    func cleanUp(_ reactor: APIAndManager) async {
        _ = try? await reactor.http.post("/v1.1/endpoints/zero/state", ["action": "stop"])
        try? await eventually("stopped", timeout: .seconds(10)) {
            try await reactor.http.strings("/v1.1/endpoints/zero/instances").isEmpty
        }
        await reactor.manager.kill()
        await reactor.api.kill()
        reactor.killInstances()
    }

    static func canConnect(port: Int) -> Bool {
        LoopbackPorts.isListening(port: port)
    }
}
