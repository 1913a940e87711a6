import Testing

@testable import ReactorManager

/// Which claims a manager takes and gives in a pass, from the ring alone (no ZooKeeper).
@Suite("Ownership moves")
struct OwnershipMovesTests {
    /// Two endpoints, `e1` and `e2`: clockwise from each, `a` (process cloud, tcp balancer)
    /// comes first, then `b` (process cloud, nginx balancer).
    static let ring = HashRing(members: [
        HashRing.Member(
            id: "a", keys: [HashRing.position(of: "e1") &+ 1, HashRing.position(of: "e2") &+ 1], clouds: ["process"],
            loadBalancers: ["tcp"]),
        HashRing.Member(
            id: "b", keys: [HashRing.position(of: "e1") &+ 2, HashRing.position(of: "e2") &+ 2], clouds: ["process"],
            loadBalancers: ["nginx"]),
    ])

    static let plain = OwnershipMoves.Needs(cloud: "process", loadBalancer: "tcp")
    static let nginx = OwnershipMoves.Needs(cloud: "process", loadBalancer: "nginx")
    static let docker = OwnershipMoves.Needs(cloud: "docker", loadBalancer: nil)

    static func moves(_ manager: String, _ endpoints: [(String, OwnershipMoves.Needs?)], claimed: Set<String> = [])
        -> [OwnershipMoves.Move]
    {
        OwnershipMoves(
            endpoints: endpoints.map { (id: $0.0, needs: $0.1) }, ring: ring, managerID: manager, claimed: claimed
        ).moves
    }

    @Test func theRingsOwnerTakesWhatItDoesNotHold() {
        #expect(Self.moves("a", [("e1", Self.plain), ("e2", Self.plain)]) == [.take("e1"), .take("e2")])
        #expect(Self.moves("a", [("e1", Self.plain)], claimed: ["e1"]).isEmpty, "held already")
        #expect(Self.moves("b", [("e1", Self.plain)]).isEmpty, "not b's")
    }

    @Test func theOwnerIsTheFirstManagerThatRunsTheDrivers() {
        #expect(Self.moves("b", [("e1", Self.nginx)]) == [.take("e1")], "a does not run nginx")
        #expect(Self.moves("a", [("e1", Self.nginx)]).isEmpty)
    }

    @Test func aClaimTheRingGivesAnotherIsReleased() {
        #expect(Self.moves("a", [("e1", Self.nginx)], claimed: ["e1"]) == [.give("e1", to: "b")])
        #expect(Self.moves("b", [("e1", Self.plain)], claimed: ["e1"]) == [.give("e1", to: "a")])
    }

    @Test func anEndpointNobodyCanRunIsReleasedAndReportedOnce() {
        // Were drivers no matter, a would own e1: a reports it, b does not.
        #expect(
            Self.moves("a", [("e1", Self.docker)], claimed: ["e1"]) == [
                .give("e1", to: nil), .reportNoOffer("e1", cloud: "docker", loadBalancer: nil),
            ])
        #expect(Self.moves("b", [("e1", Self.docker)]).isEmpty, "only one manager says it")
    }

    @Test func anEndpointNotReadYetNeedsNoDriverAndIsNotReported() {
        #expect(Self.moves("a", [("e1", nil)]) == [.take("e1")])
        #expect(Self.moves("a", [("e1", nil)], claimed: ["e1"]).isEmpty)
    }

    @Test func anEmptyRingGivesEverythingUp() {
        let moves = OwnershipMoves(
            endpoints: [(id: "e1", needs: Self.plain)], ring: HashRing(members: []), managerID: "a", claimed: ["e1"])
        #expect(moves.moves == [.give("e1", to: nil)], "and reports nothing: no manager would own it")
    }
}
