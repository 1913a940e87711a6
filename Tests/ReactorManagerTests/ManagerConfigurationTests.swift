import Foundation
import ReactorCore
import ReactorManager
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

/// The manager watches `/reactor/managers/configs/<name>`: a change applies without waiting for
/// the next pass, and other ring keys or drivers make it register again.
@Suite("Manager configuration is watched")
struct ManagerConfigurationTests {
    @Test func aConfigurationChangeAppliesAtOnce() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("manager-config")
        let zk = try await ZooKeeperClient.connect(.init(connectString: namespace))
        let store = ReactorStore(client: zk)
        try await store.prepareLayout()

        // No configuration yet: the defaults (64 keys, a 10 s interval, every driver of the host).
        let identity = ManagerIdentity(name: "watched", clouds: ["process"], loadBalancers: ["tcp"], ips: [])
        var settings = ManagerSettings()
        settings.logger.logLevel = .warning
        let manager = Task { try await ManagerService(client: zk, identity: identity, settings: settings).run() }

        func registration() async throws -> (id: String, keys: Int, loadBalancers: [String], clouds: [String])? {
            guard let id = try await store.activeManagers().first,
                let fields = try await store.activeManager(id: id).objectValue
            else { return nil }
            return (
                id, fields["keys"]?.arrayValue?.count ?? 0,
                fields["loadbalancers"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                fields["clouds"]?.arrayValue?.compactMap(\.stringValue) ?? []
            )
        }
        try await eventually("registered with the defaults") {
            guard let now = try await registration() else { return false }
            return now.keys == 64 && now.loadBalancers == ["tcp"] && now.clouds == ["process"]
        }
        let first = try #require(try await registration()).id
        // Let the first pass finish: the loop now sleeps for the default 10 s.
        try await Task.sleep(for: .milliseconds(500))

        // Fewer keys and no balancer: well inside the 10 s sleep, the manager re-registers.
        let config = try ManagerConfig(
            json: .object([
                "manager": .object([
                    "keys": .string("8"), "loadbalancers": .string(""), "interval": .string("0.5"),
                ])
            ]))
        try await store.setManagerConfiguration(config.jsonValue, name: "watched")
        let changed = ContinuousClock.now
        try await eventually("registered again with the new keys and drivers", timeout: .seconds(5)) {
            guard let now = try await registration() else { return false }
            return now.id != first && now.keys == 8 && now.loadBalancers.isEmpty && now.clouds == ["process"]
        }
        #expect(ContinuousClock.now - changed < .seconds(5), "applied without waiting for the 10 s interval")
        #expect(try await store.activeManagers().count == 1, "the old registration is gone")

        let log = try await store.managerLog(name: "watched")
        #expect(
            log.contains { $0.message.contains("registering again") },
            "the manager log explains the re-registration: \(log.map(\.message))")

        manager.cancel()
        _ = await manager.result
        #expect(try await store.activeManagers().isEmpty)
        await zk.close()
    }
}
