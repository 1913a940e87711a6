import Foundation
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

/// One machine, everything real: ZooKeeper, `reactor api`, `reactor manager`, and instances that
/// are HTTP servers on their own loopback addresses registering themselves through the API.
@Suite("Process cloud end to end", .serialized)
struct ProcessCloudEndToEndTests {
    static let instanceScript = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/instances/http-instance.sh").path

    @Test func endpointFollowsItsRulesThroughTheWholeLifecycle() async throws {
        let reactor = try await APIAndManager.start("e2e", manager: "host-a", interval: "0.5")
        let namespace = reactor.namespace
        let api = reactor.api
        let manager = reactor.manager
        let http = reactor.http
        let instancePort = try LoopbackPorts.free()
        do {
            try await lifecycle(http: http, instancePort: instancePort)
        } catch {
            await stopEverything(http: http, namespace: namespace)
            await manager.kill()
            await api.kill()
            reactor.killInstances()
            throw error
        }
        await manager.kill()
        await api.kill()
        reactor.killInstances()
    }

    /// Stops the endpoint through the API and, should instances outlive that, ends their
    /// process groups from the process cloud's records.
    func stopEverything(http: HTTP, namespace: String) async {
        _ = try? await http.post("/v1.1/endpoints/web/state", ["action": "stop"])
        try? await eventually("instances stopped", timeout: .seconds(10)) {
            try await http.strings("/v1.1/endpoints/web/instances").isEmpty
        }
        guard let zk = try? await ZooKeeperClient.connect(.init(connectString: namespace)) else { return }
        let root = "\(ZNodeLayout.clouds)/process/instances"
        for endpoint in (try? await zk.children(root)) ?? [] {
            for id in (try? await zk.children("\(root)/\(endpoint)")) ?? [] {
                guard let node = try? await zk.get("\(root)/\(endpoint)/\(id)"),
                    let record = try? JSONSerialization.jsonObject(with: Data(node.bytes)) as? [String: Any],
                    let pid = record["pid"] as? Int32
                else { continue }
                kill(-pid, SIGKILL)
            }
        }
        await zk.close()
    }

    func lifecycle(http: HTTP, instancePort: Int) async throws {
        try await eventually("the API answers") { (try? await http.get("/").status) == 200 }

        let config: [String: Any] = [
            "endpoint": ["cloud": "process", "port": "\(instancePort)", "unregistered_timeout": "60"],
            "scaling": ["min_instances": "2", "max_instances": "5", "rules": "5 <= active <= 10", "ramp_limit": "5"],
            "cloud:process": ["command": "sh \(Self.instanceScript)", "addresses": "127.0.1.0/24"],
        ]
        #expect(try await http.post("/v1.1/endpoints/web", config).status == 200)
        #expect(try await http.post("/v1.1/endpoints/web/state", ["action": "start"]).status == 200)

        // No metric yet: `active` counts as 0, and `5 <= active` allows no instance (0…0), fewer
        // than min_instances: the range is [2, 2]. They launch, register from their own addresses
        // and serve.
        try await eventually("two instances registered", timeout: .seconds(30)) {
            let ips = try await http.strings("/v1.1/endpoints/web/ips")
            let instances = try await http.strings("/v1.1/endpoints/web/instances")
            return ips.count == 2 && instances.count == 2
        }
        let firstIPs = try await http.strings("/v1.1/endpoints/web/ips")
        for ip in firstIPs {
            #expect(ip.hasPrefix("127.0.1."), "each instance has its own loopback address: \(ip)")
            let page = try await HTTP(base: "http://\(ip):\(instancePort)").get("/")
            #expect(page.status == 200 && page.text.hasPrefix("instance "), "the instance at \(ip) serves")
        }
        let state = try await http.get("/v1.1/endpoints/web/state").json as? [String: Any]
        #expect(state?["state"] as? String == "RUNNING")
        let owner = try #require(state?["manager"] as? String, "the state names the owning manager")
        #expect(try await http.strings("/v1.1/managers/active") == [owner])

        // Load above the rule: 2 instances at 30 active each (60) want 6…12, more than max 5 → 5.
        for ip in firstIPs {
            #expect(try await http.post("/v1.1/endpoints/web/metrics/\(ip)", ["active": [1, 30]]).status == 200)
        }
        try await eventually("scaled up to 5", timeout: .seconds(40)) {
            try await http.strings("/v1.1/endpoints/web/ips").count == 5
        }
        let metrics = try await http.get("/v1.1/endpoints/web/metrics").json as? [String: Double]
        #expect(
            metrics?["active"] == 30,
            "the computed metrics are the owner's weighted average: \(String(describing: metrics))")
        let allIPs = try await http.strings("/v1.1/endpoints/web/ips")
        let allInstances = Set(try await http.strings("/v1.1/endpoints/web/instances"))

        // Load drops; one instance stays busy. Idle instances go first, down to min_instances.
        let busy = try #require(allIPs.last)
        for ip in allIPs {
            _ = try await http.post("/v1.1/endpoints/web/metrics/\(ip)", ["active": [1, ip == busy ? 8 : 0]])
        }
        try await eventually("scaled in to 2", timeout: .seconds(30)) {
            try await http.strings("/v1.1/endpoints/web/instances").count == 2
        }
        let remaining = try await http.strings("/v1.1/endpoints/web/ips")
        #expect(remaining.contains(busy), "the busy instance was kept: \(remaining)")

        // Load rises again: the decommissioned instances come back before anything new starts.
        for ip in remaining { _ = try await http.post("/v1.1/endpoints/web/metrics/\(ip)", ["active": [1, 30]]) }
        try await eventually("back to 5", timeout: .seconds(30)) {
            try await http.strings("/v1.1/endpoints/web/instances").count == 5
        }
        #expect(
            Set(try await http.strings("/v1.1/endpoints/web/instances")) == allInstances,
            "recommissioned, not relaunched")

        // PAUSED: nothing moves, whatever the load says.
        #expect(try await http.post("/v1.1/endpoints/web/state", ["action": "pause"]).status == 200)
        try await Task.sleep(for: .seconds(1))
        let ipsNow = try await http.strings("/v1.1/endpoints/web/ips")
        for ip in ipsNow { _ = try await http.post("/v1.1/endpoints/web/metrics/\(ip)", ["active": [1, 0]]) }
        try await Task.sleep(for: .seconds(2))
        #expect(
            try await http.strings("/v1.1/endpoints/web/instances").count == 5, "a paused endpoint is left as it is")

        // STOPPED: everything goes, processes included.
        #expect(try await http.post("/v1.1/endpoints/web/state", ["action": "stop"]).status == 200)
        try await eventually("stopped at zero", timeout: .seconds(30)) {
            let instances = try await http.strings("/v1.1/endpoints/web/instances")
            let ips = try await http.strings("/v1.1/endpoints/web/ips")
            return instances.isEmpty && ips.isEmpty
        }
        try await eventually("the instance processes are gone", timeout: .seconds(15)) {
            for ip in allIPs where (try? await HTTP(base: "http://\(ip):\(instancePort)").get("/")) != nil {
                return false
            }
            return true
        }

        // The log explains the decisions in words.
        let log = try await http.get("/v1.1/endpoints/web/log").json as? [[Any]] ?? []
        let messages = log.compactMap { $0.count == 3 ? $0[2] as? String : nil }
        #expect(messages.contains { $0.contains("5 <= active <= 10") }, "a target change names its rule: \(messages)")
        #expect(messages.contains { $0.hasPrefix("manager host-a: launched instance") })
        #expect(messages.contains { $0.hasPrefix("manager host-a: recommissioned instance") })
        #expect(messages.contains { $0.hasPrefix("manager host-a: decommissioned instance") })
        let info = try await http.get("/v1.1/info").json as? [String: Any]
        #expect(info?["managers"] as? Int == 1)
    }
}
