import Foundation
import ReactorCore
import ReactorManager
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

/// Three `reactor manager` processes on one ZooKeeper split the endpoints between them, and
/// ownership follows the ring through kill -9 and through a freeze past the session timeout.
@Suite("Managers as separate processes", .serialized)
struct ManagerProcessTests {
    static let sessionTimeout = 3.0
    static let interval = 0.3

    struct Cluster {
        let namespace: String
        let client: ZooKeeperClient
        let store: ReactorStore
        var processes: [String: ManagedProcess] = [:]

        func startManager(_ name: String) throws -> ManagedProcess {
            try ManagedProcess(
                [
                    try reactorExecutable(), "manager", "--zookeeper", namespace, "--name", name,
                    "--interval", "\(ManagerProcessTests.interval)", "--session-timeout",
                    "\(ManagerProcessTests.sessionTimeout)",
                    "--log-level", "info",
                ],
                logPath: NSTemporaryDirectory() + "reactor-manager-\(name)-\(UUID().uuidString.prefix(6)).log")
        }

        /// name → uuid of the registered managers.
        func registered() async throws -> [String: String] {
            var result: [String: String] = [:]
            for id in try await store.activeManagers() {
                if let name = try? await store.activeManager(id: id).objectValue?["name"]?.stringValue {
                    result[name] = id
                }
            }
            return result
        }

        func ring() async throws -> HashRing {
            var members: [HashRing.Member] = []
            for id in try await store.activeManagers() {
                if let json = try? await store.activeManager(id: id),
                    let member = ManagerIdentity.member(id: id, registration: json)
                {
                    members.append(member)
                }
            }
            return HashRing(members: members)
        }

        /// endpoint uuid → holder uuid (nil when unowned).
        func holders(_ ids: [String]) async throws -> [String: String?] {
            let ownership = EndpointOwnership(client: client, managerID: "observer")
            var result: [String: String?] = [:]
            for id in ids { result[id] = try await ownership.holder(of: id) }
            return result
        }

        /// Whether every endpoint is held by the manager the ring of `expected` managers names.
        func settled(_ ids: [String], on expected: Set<String>) async throws -> Bool {
            let registered = try await registered()
            guard Set(registered.keys) == expected else { return false }
            let ring = try await ring()
            let holders = try await holders(ids)
            return ids.allSatisfy { holders[$0] == ring.owner(of: $0) }
        }
    }

    func makeCluster(endpoints count: Int) async throws -> (Cluster, [String]) {
        let namespace = try await SharedZooKeeper.instance.namespace("managers")
        let client = try await ZooKeeperClient.connect(.init(connectString: namespace))
        let store = ReactorStore(client: client)
        try await store.prepareLayout()
        var ids: [String] = []
        for index in 0..<count {
            let id = try await store.createEndpoint(named: "ep\(index)", configuration: .object([:]))
            try await store.setCustomMetrics(
                .object(["load": .array([.number(1), .number(Double(index))])]), id: id, name: "ep\(index)")
            ids.append(id)
        }
        return (Cluster(namespace: namespace, client: client, store: store), ids)
    }

    @Test func threeManagersSplitTheEndpointsAndFailOver() async throws {
        var (cluster, ids) = try await makeCluster(endpoints: 30)
        for name in ["m1", "m2", "m3"] { cluster.processes[name] = try cluster.startManager(name) }
        defer { for process in cluster.processes.values { Task { await process.kill() } } }

        try await eventually("three managers own the endpoints as the ring says", timeout: .seconds(30)) {
            try await cluster.settled(ids, on: ["m1", "m2", "m3"])
        }
        let registered = try await cluster.registered()
        let holders = try await cluster.holders(ids)
        for name in ["m1", "m2", "m3"] {
            let owned = ids.filter { holders[$0] == registered[name] }.count
            #expect(owned > 0, "\(name) owns a share (\(owned) of \(ids.count))")
        }
        // The owner publishes the endpoint's computed metrics, under its own session.
        try await eventually("owners publish live metrics") {
            for id in ids {
                guard let live = try await cluster.client.exists(ZNodeLayout.endpoint(id, EndpointNode.liveMetrics)),
                    let holder = try await cluster.client.exists(
                        ZNodeLayout.endpoint(id, EndpointOwnership.managerNode)),
                    live.ephemeralOwner == holder.ephemeralOwner
                else { return false }
            }
            return true
        }

        // kill -9: the victim's endpoints move once ZooKeeper expires its session.
        let victim = try #require(cluster.processes["m1"])
        let killedAt = ContinuousClock.now
        await victim.kill()
        try await eventually("the survivors take over", timeout: .seconds(20)) {
            try await cluster.settled(ids, on: ["m2", "m3"])
        }
        let takeover = ContinuousClock.now - killedAt
        let bound = Duration.milliseconds(Int((Self.sessionTimeout + Self.interval) * 1000)) + .seconds(3)
        #expect(takeover < bound, "ownership moved within the session timeout plus one interval (took \(takeover))")
        let afterKill = try await cluster.holders(ids)
        #expect(ids.allSatisfy { afterKill[$0] != nil && afterKill[$0] != registered["m1"] })
    }

    @Test func aFrozenManagerIsFencedThenRejoins() async throws {
        var (cluster, ids) = try await makeCluster(endpoints: 20)
        for name in ["m1", "m2"] { cluster.processes[name] = try cluster.startManager(name) }
        defer { for process in cluster.processes.values { Task { await process.kill() } } }
        try await eventually("two managers settle", timeout: .seconds(30)) {
            try await cluster.settled(ids, on: ["m1", "m2"])
        }
        let frozenID = try #require(try await cluster.registered()["m1"])
        let before = try await cluster.holders(ids)
        let frozenOwned = ids.filter { before[$0] == frozenID }
        #expect(!frozenOwned.isEmpty, "m1 owned a share before freezing")

        let frozen = try #require(cluster.processes["m1"])
        frozen.signal(SIGSTOP)
        try await eventually("m2 takes everything while m1 is frozen", timeout: .seconds(20)) {
            try await cluster.settled(ids, on: ["m2"])
        }
        // Change what the endpoints m1 used to own report, so an owner would publish new metrics.
        for (index, id) in frozenOwned.enumerated() {
            try await cluster.store.setCustomMetrics(
                .object(["load": .array([.number(1), .number(Double(100 + index))])]), id: id, name: id)
        }
        frozen.signal(SIGCONT)

        try await eventually("m1 registers again and the ring is shared again", timeout: .seconds(30)) {
            try await cluster.settled(ids, on: ["m1", "m2"])
        }
        let log = try await cluster.store.managerLog(name: "m1").map(\.message)
        let expiredAt = try #require(
            log.firstIndex { $0.contains("session changed (expired)") }, "m1 noticed its session ended: \(log)")
        let registeredAgain = try #require(log.lastIndex { $0.hasPrefix("registered as") })
        #expect(registeredAgain > expiredAt, "it registered again after the expiry")
        // Between resuming and registering again, m1 took no action: no ownership was taken.
        #expect(!log[expiredAt..<registeredAgain].contains { $0.hasPrefix("took ownership") })
        // Each endpoint's published metrics belong to its current holder's session.
        try await eventually("live metrics are written by the holders only") {
            for id in ids {
                guard let live = try await cluster.client.exists(ZNodeLayout.endpoint(id, EndpointNode.liveMetrics)),
                    let holder = try await cluster.client.exists(
                        ZNodeLayout.endpoint(id, EndpointOwnership.managerNode))
                else { return false }
                if live.ephemeralOwner != holder.ephemeralOwner { return false }
            }
            return true
        }
    }
}
