import Foundation
import ReactorCore
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

@testable import ReactorManager

/// The executor of a scaling plan's actions against a real ZooKeeper and a cloud that only
/// remembers what it was asked: records first, fenced, then the cloud.
@Suite("Scaling executor")
struct ScalingExecutorTests {
    /// A cloud that starts nothing: it hands out instances and remembers the calls.
    actor RecordingCloud: CloudDriver {
        nonisolated let name = "recording"
        var started: [String] = []
        var deleted: [String] = []
        var prepared = 0
        var startFailure: String?

        func failStarts(_ reason: String) { startFailure = reason }

        func instances(of endpoint: CloudEndpoint) async throws -> [CloudInstance] { [] }

        func prepare(for endpoint: CloudEndpoint) async throws -> PreparedLaunch {
            prepared += 1
            let instance = CloudInstance(
                id: UUID().uuidString.lowercased(), name: "web-\(prepared)", ips: ["127.0.8.\(prepared)"],
                status: .running)
            return PreparedLaunch(instance: instance, operations: [])
        }

        func start(_ launch: PreparedLaunch, endpoint: CloudEndpoint) async throws {
            if let startFailure { throw ProbeError(description: startFailure) }
            started.append(launch.instance.id)
        }

        func delete(_ instanceID: String, of endpoint: CloudEndpoint) async throws { deleted.append(instanceID) }

        func owner(ofIP ip: String) async throws -> (endpointID: String, instanceID: String)? { nil }
    }

    struct ProbeError: Error, CustomStringConvertible {
        var description: String
    }

    actor Lines {
        var all: [String] = []
        func add(_ line: String) { all.append(line) }
    }

    /// An endpoint `web` claimed by manager A, its executor, the cloud and the log lines.
    struct Fixture {
        let client: ZooKeeperClient
        let store: ReactorStore
        let ownership: EndpointOwnership
        let claim: OwnershipClaim
        let id: String
        let cloud = RecordingCloud()
        let lines = Lines()

        var executor: ScalingExecutor {
            let lines = self.lines
            return ScalingExecutor(
                store: store, ownership: ownership, claim: claim,
                endpoint: CloudEndpoint(id: id, name: "web", settings: [:], port: nil), cloud: cloud,
                log: { severity, message in await lines.add("\(severity.rawValue) \(message)") })
        }

        static func make(_ name: String) async throws -> Fixture {
            let namespace = try await SharedZooKeeper.instance.namespace(name)
            let client = try await ZooKeeperClient.connect(.init(connectString: namespace))
            let store = ReactorStore(client: client)
            try await store.prepareLayout()
            let id = try await store.createEndpoint(named: "web", configuration: .object([:]))
            try await store.ensureInstanceDirectories(id: id)
            let ownership = EndpointOwnership(store: store, managerID: "A")
            let claim = try #require(try await ownership.claim(id))
            return Fixture(client: client, store: store, ownership: ownership, claim: claim, id: id)
        }
    }

    @Test func aLaunchIsRecordedThenStarted() async throws {
        let fixture = try await Fixture.make("executor-launch")
        try await fixture.executor.apply([.launch(target: 1)])
        let recorded = try await fixture.store.instances(id: fixture.id)
        #expect(recorded.count == 1, "one instance recorded: \(recorded)")
        #expect(await fixture.cloud.started == recorded, "and that one started")
        #expect(await fixture.lines.all.contains { $0.hasPrefix("INFO launched instance web-1 at 127.0.8.1") })
        await fixture.client.close()
    }

    @Test func aStartThatFailsTakesTheRecordBack() async throws {
        let fixture = try await Fixture.make("executor-start-fails")
        await fixture.cloud.failStarts("no room")
        let report = try await fixture.executor.apply([.launch(target: 2), .launch(target: 2)])
        #expect(try await fixture.store.instances(id: fixture.id).isEmpty, "the record is removed")
        #expect(await fixture.cloud.deleted.count == 1, "and the cloud asked to delete what it prepared")
        #expect(report.launchFailure?.contains("no room") == true, "the failure is reported to the owner: \(report)")
        #expect(report.launched == 0, "and the second launch of the plan is not tried after the first failed")
        let lines = await fixture.lines.all
        #expect(!lines.contains { $0.contains("launched") }, "nothing else was started: \(lines)")
        await fixture.client.close()
    }

    @Test func aDecommissionMovesTheRecordAndAMarkComesAndGoes() async throws {
        let fixture = try await Fixture.make("executor-decommission")
        let executor = fixture.executor
        try await executor.apply([.launch(target: 1)])
        let instance = try #require(try await fixture.store.instances(id: fixture.id).first)
        var marks = InstanceMarks()
        marks.unregistered = 10
        try await executor.apply([.writeMarks(instance, marks, mayBeAbsent: true)])
        let stored = try #require(try await fixture.store.instanceMarks(instance, id: fixture.id))
        #expect(InstanceMarks(bytes: stored) == marks, "the marks are stored")
        try await executor.apply([
            .retire(instance, ips: ["127.0.8.1"], to: .decommissioned), .dropMarks(instance),
        ])
        #expect(try await fixture.store.instances(id: fixture.id).isEmpty)
        #expect(
            try await fixture.store.instanceIDs(id: fixture.id, in: EndpointNode.decommissioned) == [instance],
            "the record moved to decommissioned/")
        #expect(try await fixture.store.instanceMarks(instance, id: fixture.id) == nil, "the marks are gone")
        try await executor.apply([.recommission(instance, name: "web-1")])
        #expect(try await fixture.store.instances(id: fixture.id) == [instance], "and back in instances/")
        await fixture.client.close()
    }

    @Test func aManagerThatLostTheEndpointRecordsAndStartsNothing() async throws {
        let fixture = try await Fixture.make("executor-fenced")
        let executor = fixture.executor
        try await fixture.ownership.release(fixture.claim)
        let other = EndpointOwnership(store: fixture.store, managerID: "B")
        _ = try #require(try await other.claim(fixture.id), "B owns it now")
        await #expect(throws: OwnershipLost.self, "A's launch is fenced") {
            try await executor.apply([.launch(target: 1)])
        }
        #expect(try await fixture.store.instances(id: fixture.id).isEmpty, "nothing recorded")
        #expect(await fixture.cloud.started.isEmpty, "nothing started")
        await fixture.client.close()
    }
}
