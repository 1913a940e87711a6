import ReactorCore
import ReactorStore
import Testing
import ZooKeeper

/// The store methods a manager's loop uses, against the real test ZooKeeper.
@Suite struct ManagerNodesTests {
    @Test func aManagerRegistersOncePerSessionAndUnregisters() async throws {
        try await withStore { store in
            let registration: JSONValue = ["name": "m1", "keys": [1, 2]]
            #expect(try await store.registerManager(id: "u1", registration: registration))
            #expect(
                try await !store.registerManager(id: "u1", registration: registration),
                "a second registration in the same session writes nothing")
            #expect(try await store.watchManagerRegistrations().ids == ["u1"])
            #expect(try await store.managerRegistration(id: "u1") == registration)
            try await store.unregisterManager(id: "u1")
            try await store.unregisterManager(id: "u1")
            #expect(try await store.managerRegistration(id: "u1") == nil)
        }
    }

    @Test func unregistrationUnconfirmsAndDequeues() async throws {
        try await withStore { store in
            let id = try await store.createEndpoint(named: "web", configuration: [:])
            try await store.confirmIP("10.0.0.9", id: id, name: "web")
            try await store.queueUnregistration(ip: "10.0.0.9")
            try await store.completeUnregistration(ip: "10.0.0.9", id: id)
            #expect(try await store.confirmedIPs(id: id) == [])
            #expect(try await store.queuedUnregistrations() == [])
            await expectStoreError(.noEndpointForIP("10.0.0.9")) {
                _ = try await store.endpointID(forConfirmedIP: "10.0.0.9")
            }
            // Everything already gone: still fine.
            try await store.completeUnregistration(ip: "10.0.0.9", id: id)
        }
    }

    @Test func aClaimIsExclusiveAndFencesBatches() async throws {
        try await withStore { store in
            let id = try await store.createEndpoint(named: "web", configuration: [:])
            let epoch = try #require(try await store.claimEndpoint(id: id, managerID: "A"))
            #expect(try await store.claimEndpoint(id: id, managerID: "B") == nil, "the manager node is exclusive")
            #expect(try await store.heldClaimEpoch(id: id, managerID: "A") == epoch)
            #expect(try await store.heldClaimEpoch(id: id, managerID: "B") == nil)
            #expect(try await store.endpointHolder(id: id) == "A")
            try await store.ensureInstanceDirectories(id: id)
            try await store.commit(
                store.ownershipFence(id: id, epoch: epoch) + [
                    store.recordInstanceOperation("i1", name: "web-1", id: id)
                ])
            #expect(try await store.instanceIDs(id: id, in: EndpointNode.instances) == ["i1"])
            do {
                try await store.commit(
                    store.ownershipFence(id: id, epoch: epoch + 1)
                        + [store.recordInstanceOperation("i2", name: "web-2", id: id)])
                Issue.record("expected a stale epoch to fail the batch")
            } catch let error as ZooKeeperError {
                #expect(error.failedStep == 1, "expected the epoch check to fail, got \(error)")
            }
            try await store.commit(
                store.ownershipFence(id: id, epoch: epoch) + (try await store.releaseOperations(id: id, deleting: [])))
            #expect(try await store.endpointHolder(id: id) == nil)
        }
    }

    @Test func instanceMarksAreCreatedThenSet() async throws {
        try await withStore { store in
            let id = try await store.createEndpoint(named: "web", configuration: [:])
            try await store.ensureInstanceDirectories(id: id)
            let create = try await store.writeMarksOperation("i1", id: id, data: Array("{}".utf8), mayBeAbsent: true)
            guard case .create = create else {
                Issue.record("expected a create for absent marks, got \(create)")
                return
            }
            try await store.commit([create])
            let set = try await store.writeMarksOperation("i1", id: id, data: Array("{}".utf8), mayBeAbsent: true)
            guard case .set = set else {
                Issue.record("expected a set for existing marks, got \(set)")
                return
            }
            #expect(try await store.instanceMarks("i1", id: id) == Array("{}".utf8))
            try await store.dropInstanceMarks("i1", id: id)
            try await store.dropInstanceMarks("i1", id: id)
            #expect(try await store.instanceMarks("i1", id: id) == nil)
        }
    }
}
