import Foundation
import ReactorCore
import ReactorManager
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

/// Ownership is exclusive and fenced: a manager that lost an endpoint cannot act for it, even
/// when it has not noticed yet.
@Suite("Fenced ownership")
struct FencingTests {
    func connect(_ connectString: String, timeout: Duration = .seconds(10)) async throws -> ZooKeeperClient {
        try await ZooKeeperClient.connect(.init(connectString: connectString, sessionTimeout: timeout))
    }

    func probe(_ id: String, _ value: String) -> MultiOperation {
        .create(path: ZNodeLayout.endpoint(id, "metadata-\(value)"), data: Array(value.utf8))
    }

    @Test func ownershipIsExclusive() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("exclusive")
        let a = try await connect(namespace)
        let b = try await connect(namespace)
        let store = ReactorStore(client: a)
        try await store.prepareLayout()
        let id = try await store.createEndpoint(named: "web", configuration: .object([:]))
        let ownerA = EndpointOwnership(client: a, managerID: "A")
        let ownerB = EndpointOwnership(client: b, managerID: "B")

        let claim = try #require(try await ownerA.claim(id))
        #expect(try await ownerB.claim(id) == nil, "a held endpoint cannot be claimed")
        #expect(try await ownerB.holder(of: id) == "A")
        #expect(try await ownerA.claim(id) == claim, "the holder's own session adopts its claim")

        try await ownerA.release(claim)
        let claimB = try #require(try await ownerB.claim(id))
        #expect(claimB.epoch > claim.epoch)
        await #expect(throws: OwnershipLost.self, "the old owner's claim no longer works") {
            try await ownerA.fenced(claim, [probe(id, "late")])
        }
        #expect(try await a.exists(ZNodeLayout.endpoint(id, "metadata-late")) == nil, "nothing was written")
        try await ownerB.fenced(claimB, [probe(id, "owner")])
        #expect(try await a.exists(ZNodeLayout.endpoint(id, "metadata-owner")) != nil)
        await a.close()
        await b.close()
    }

    @Test func expiredOwnerIsFencedBeforeAndAfterTakeover() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("expired-owner")
        let a = try await connect(namespace, timeout: .seconds(4))
        let b = try await connect(namespace)
        let store = ReactorStore(client: b)
        try await store.prepareLayout()
        let id = try await store.createEndpoint(named: "web", configuration: .object([:]))
        let ownerA = EndpointOwnership(client: a, managerID: "A")
        let ownerB = EndpointOwnership(client: b, managerID: "B")
        let claim = try #require(try await ownerA.claim(id))
        try await ownerA.fenced(claim, [probe(id, "before")])

        // A's session ends while A still believes it owns the endpoint (a long GC pause, a
        // partition); its client opens a new session.
        let oldSession = try a.sessionID()
        try await a.injectSessionExpiration()
        let deadline = ContinuousClock.now + .seconds(20)
        while (try? a.sessionID()) == oldSession || a.state != .connected, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try a.sessionID() != oldSession)

        await #expect(throws: OwnershipLost.self, "the exclusive node went with the old session") {
            try await ownerA.fenced(claim, [probe(id, "stale-1")])
        }
        let claimB = try #require(try await ownerB.claim(id), "the endpoint is free for the new owner")
        await #expect(throws: OwnershipLost.self, "and stays fenced after the takeover") {
            try await ownerA.fenced(claim, [probe(id, "stale-2")])
        }
        #expect(try await b.exists(ZNodeLayout.endpoint(id, "metadata-stale-1")) == nil)
        #expect(try await b.exists(ZNodeLayout.endpoint(id, "metadata-stale-2")) == nil)
        try await ownerB.fenced(claimB, [probe(id, "new-owner")])
        await a.close()
        await b.close()
    }

    @Test func aFailingActionIsReportedWithinTheBatch() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("fenced-failure")
        let a = try await connect(namespace)
        let store = ReactorStore(client: a)
        try await store.prepareLayout()
        let id = try await store.createEndpoint(named: "web", configuration: .object([:]))
        let owner = EndpointOwnership(client: a, managerID: "A")
        let claim = try #require(try await owner.claim(id))
        try await owner.fenced(claim, [probe(id, "x")])
        do {
            try await owner.fenced(claim, [probe(id, "y"), probe(id, "x")])
            Issue.record("expected nodeExists for the second step")
        } catch let error as ZooKeeperError {
            #expect(error.code == .nodeExists)
            #expect(error.failedStep == 1, "the step index counts within the caller's operations")
        }
        #expect(try await a.exists(ZNodeLayout.endpoint(id, "metadata-y")) == nil, "all or nothing")
        await a.close()
    }
}
