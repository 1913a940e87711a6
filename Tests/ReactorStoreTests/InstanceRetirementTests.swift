import ReactorCore
import ReactorStore
import Testing
import ZooKeeper

/// A registration confirmed while the owner decommissions the same instance: the two exclude
/// each other, so a decommissioned instance never keeps a confirmed IP. The interleavings are
/// forced step by step with the very store calls the manager makes.
@Suite struct InstanceRetirementTests {
    static let ip = "127.0.1.16"

    func endpointWithInstance(_ store: ReactorStore) async throws -> String {
        let id = try await store.createEndpoint(named: "web", configuration: [:])
        try await store.associateInstance("af4372e4", id: id, name: "web")
        return id
    }

    func isConfirmed(_ store: ReactorStore, _ id: String) async throws -> Bool {
        let listed = try await store.confirmedIPs(id: id).contains(Self.ip)
        let global = try await store.client.exists(ZNodeLayout.ipAddress(Self.ip)) != nil
        return listed || global
    }

    @Test func confirmationBetweenTheReadAndTheDecommissionIsNotLost() async throws {
        try await withStore { store in
            let id = try await endpointWithInstance(store)
            // The owner's pass reads the instance's records: nothing confirmed yet.
            let stale = try await store.retirement(
                of: "af4372e4", id: id, ips: [Self.ip], movingTo: EndpointNode.decommissioned)
            #expect(stale?.confirmedIPs == [], "read before the registration: \(String(describing: stale))")
            // The registration is confirmed in between.
            try await store.confirmInstanceIP(Self.ip, id: id, name: "web", instance: "af4372e4")
            #expect(try await isConfirmed(store, id))
            // The decommission made from the stale read is refused as a whole.
            let refused = await #expect(throws: ZooKeeperError.self) {
                try await store.client.multi(stale?.operations ?? [])
            }
            #expect(
                refused?.code == .badVersion, "the confirmation moved the record on: \(String(describing: refused))")
            #expect(try await store.instances(id: id) == ["af4372e4"], "nothing of the stale batch was applied")
            // Read again, it takes the new IP with it.
            let fresh = try await store.retirement(
                of: "af4372e4", id: id, ips: [Self.ip], movingTo: EndpointNode.decommissioned)
            #expect(fresh?.confirmedIPs == [Self.ip])
            try await store.client.multi(fresh?.operations ?? [])
            #expect(try await store.instances(id: id) == [])
            #expect(try await isConfirmed(store, id) == false, "a decommissioned instance keeps no confirmed IP")
            let moved = try await store.client.get(ZNodeLayout.endpoint(id, "decommissioned/af4372e4"))
            #expect(String(decoding: moved.bytes, as: UTF8.self) == "af4372e4", "its record moved")
        }
    }

    @Test func confirmationAfterTheDecommissionIsRefused() async throws {
        try await withStore { store in
            let id = try await endpointWithInstance(store)
            let retirement = try await store.retirement(
                of: "af4372e4", id: id, ips: [Self.ip], movingTo: EndpointNode.decommissioned)
            try await store.client.multi(retirement?.operations ?? [])
            do {
                try await store.confirmInstanceIP(Self.ip, id: id, name: "web", instance: "af4372e4")
                Issue.record("an IP of a decommissioned instance was confirmed")
            } catch let error as InstanceConfirmationError {
                #expect(error == .instanceNotActive("af4372e4"))
            }
            #expect(try await isConfirmed(store, id) == false)
        }
    }

    @Test func retirementOfAnUnlistedInstanceFindsItsIPs() async throws {
        try await withStore { store in
            let id = try await endpointWithInstance(store)
            try await store.associateInstance("other", id: id, name: "web")
            try await store.confirmInstanceIP(Self.ip, id: id, name: "web", instance: "af4372e4")
            try await store.confirmInstanceIP("127.0.1.17", id: id, name: "web", instance: "other")
            // The cloud no longer lists it: every confirmed IP of the endpoint is checked.
            let retirement = try await store.retirement(of: "af4372e4", id: id)
            #expect(retirement?.confirmedIPs == [Self.ip], "only its own IP, not the other instance's")
            try await store.client.multi(retirement?.operations ?? [])
            #expect(try await store.confirmedIPs(id: id) == ["127.0.1.17"])
            #expect(try await store.retirement(of: "af4372e4", id: id) == nil, "no record, nothing to retire")
        }
    }
}
