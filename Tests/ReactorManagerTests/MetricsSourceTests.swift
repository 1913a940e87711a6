import Foundation
import Logging
import ReactorCore
import ReactorManager
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

@Suite("Metrics the owner publishes")
struct MetricsSourceTests {
    @Test func ownMetricsAndBorrowedMetricsArePublished() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("metrics-source")
        let zk = try await ZooKeeperClient.connect(.init(connectString: namespace))
        let store = ReactorStore(client: zk)
        try await store.prepareLayout()
        let front = try await store.createEndpoint(named: "front", configuration: .object(["endpoint": .object([:])]))
        let workers = try await store.createEndpoint(
            named: "workers", configuration: .object(["endpoint": .object(["metrics_source": .string("front")])]))
        try await store.setCustomMetrics(
            .object(["load": .array([.number(1), .number(42)])]), id: front, name: "front")

        let identity = ManagerIdentity(name: "in-process", clouds: [], loadBalancers: [], ips: [])
        var settings = ManagerSettings(interval: .milliseconds(100))
        settings.logger.logLevel = .warning
        let manager = Task { try await ManagerService(client: zk, identity: identity, settings: settings).run() }

        func live(_ id: String) async throws -> JSONValue? {
            guard let node = try? await zk.get(ZNodeLayout.endpoint(id, EndpointNode.liveMetrics)) else { return nil }
            return try JSONValue(parsing: Data(node.bytes))
        }
        try await eventually("the owner publishes both endpoints' metrics") {
            let own = try await live(front)
            let borrowed = try await live(workers)
            return own == .object(["load": .number(42)]) && borrowed == .object(["load": .number(42)])
        }
        // A change of the source shows up in the borrower's metrics.
        try await store.setCustomMetrics(.object(["load": .array([.number(1), .number(7)])]), id: front, name: "front")
        try await eventually("the borrower follows its source") {
            try await live(workers) == .object(["load": .number(7)])
        }
        manager.cancel()
        _ = await manager.result
        #expect(try await store.activeManagers().isEmpty, "the manager unregistered when it stopped")
        #expect(
            try await EndpointOwnership(client: zk, managerID: "x").holder(of: front) == nil,
            "and released its endpoints")
        await zk.close()
    }
}
