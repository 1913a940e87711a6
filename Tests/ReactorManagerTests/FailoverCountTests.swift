import Foundation
import ReactorManager
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

/// Through a kill -9 of the owner, an endpoint is never given more instances than its target.
@Suite("Instance count through failover", .serialized)
struct FailoverCountTests {
    @Test func ownerKilledNeverOvershoots() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("failover-count")
        let zk = try await ZooKeeperClient.connect(.init(connectString: namespace))
        let store = ReactorStore(client: zk)
        try await store.prepareLayout()
        let instancePort = try LoopbackPorts.free()
        // Instances that never register: the count is all that matters here.
        let id = try await store.createEndpoint(
            named: "steady",
            configuration: .object([
                "endpoint": .object([
                    "cloud": .string("process"), "port": .string("\(instancePort)"),
                    "unregistered_timeout": .string("600"),
                ]),
                "scaling": .object(["min_instances": .string("3"), "max_instances": .string("3")]),
                "cloud:process": .object(["command": .string("sleep 600"), "addresses": .string("127.0.2.0/24")]),
            ]))
        try await store.setEndpointState(.running, id: id, name: "steady")

        let logs = NSTemporaryDirectory() + "reactor-failover-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        func manager(_ name: String) throws -> ManagedProcess {
            try ManagedProcess(
                [
                    try reactorExecutable(), "manager", "--zookeeper", namespace, "--name", name, "--interval", "0.2",
                    "--session-timeout", "2", "--log-level", "info",
                ],
                logPath: "\(logs)/\(name).log")
        }
        var managers = ["a": try manager("a"), "b": try manager("b")]

        // Watch the count of active instances as closely as ZooKeeper lets us.
        let instancesPath = ZNodeLayout.endpoint(id, "instances")
        let watcher = Task { () -> Int in
            var highest = 0
            while !Task.isCancelled {
                if let count = try? await zk.children(instancesPath).count { highest = max(highest, count) }
                try? await Task.sleep(for: .milliseconds(10))
            }
            return highest
        }

        let ownership = EndpointOwnership(client: zk, managerID: "observer")
        try await eventually("both managers registered, 3 instances under one owner", timeout: .seconds(30)) {
            let registered = try await store.activeManagers().count
            let holder = try await ownership.holder(of: id)
            let count = (try? await zk.children(instancesPath).count) ?? 0
            return registered == 2 && holder != nil && count == 3
        }
        let ownerID = try #require(try await ownership.holder(of: id))
        let ownerName = try #require(try await store.activeManager(id: ownerID).objectValue?["name"]?.stringValue)
        let before = Set(try await zk.children(instancesPath))

        let survivor = ownerName == "a" ? "b" : "a"
        let cloudRecords = "\(ZNodeLayout.clouds)/process/instances/\(id)"
        await managers[ownerName]?.kill()
        managers[ownerName] = nil
        // The survivor takes the endpoint over; instances of the dead host (if they were there)
        // are reported failed and replaced by instances of the survivor's host.
        try await eventually("the survivor owns the endpoint and 3 live instances", timeout: .seconds(30)) {
            let now = Set((try? await zk.children(instancesPath)) ?? [])
            guard now.count == 3 else { return false }
            for instance in now {
                guard let node = try? await zk.get("\(cloudRecords)/\(instance)"),
                    let record = try? JSONSerialization.jsonObject(with: Data(node.bytes)) as? [String: Any],
                    record["host"] as? String == survivor
                else { return false }
            }
            let holder = try await ownership.holder(of: id)
            return holder != nil && holder != ownerID
        }
        try await Task.sleep(for: .seconds(1))
        watcher.cancel()
        let highest = await watcher.value
        #expect(highest <= 3, "never more than the target of 3 active instances (saw \(highest))")

        if !before.isEmpty, Set(try await zk.children(instancesPath)).isDisjoint(with: before) {
            let log = try await store.endpointLog(id: id).map(\.message)
            #expect(log.contains { $0.contains("failed") }, "the dead host's instances were reported failed: \(log)")
        }
        try await store.setEndpointState(.stopped, id: id, name: "steady")
        try await eventually("stopped", timeout: .seconds(20)) {
            (try? await zk.children(instancesPath).isEmpty) == true
        }
        try await eventually("the cloud forgot every instance", timeout: .seconds(20)) {
            (try? await zk.children("\(ZNodeLayout.clouds)/process/instances/\(id)").isEmpty) ?? true
        }
        for process in managers.values { await process.kill() }
        // The dead manager's own processes: a real host would have gone with it; here, end them.
        killInstanceProcesses(hosts: ["a", "b"])
        await zk.close()
    }
}
