import ReactorManager
import Testing

@Suite("Ownership ring")
struct HashRingTests {
    static func member(_ id: String, keys: [UInt64], clouds: Set<String> = ["process"], lbs: Set<String> = ["tcp"])
        -> HashRing.Member
    {
        HashRing.Member(id: id, keys: keys, clouds: clouds, loadBalancers: lbs)
    }

    @Test func emptyRingOwnsNothing() {
        #expect(HashRing(members: []).owner(of: "anything") == nil)
    }

    @Test func ownerIsFirstKeyClockwise() {
        let position = HashRing.position(of: "endpoint-a")
        let ring = HashRing(members: [
            Self.member("before", keys: [position &- 10]),
            Self.member("after", keys: [position &+ 10]),
            Self.member("far", keys: [position &+ 1000]),
        ])
        #expect(ring.owner(of: "endpoint-a") == "after")
    }

    @Test func ringWrapsAround() {
        let position = HashRing.position(of: "endpoint-b")
        let ring = HashRing(members: [Self.member("only-below", keys: [position &- 1])])
        #expect(ring.owner(of: "endpoint-b") == "only-below", "past the last key the first key owns")
    }

    @Test func ownerMustRunTheEndpointsDrivers() {
        let position = HashRing.position(of: "endpoint-c")
        let ring = HashRing(members: [
            Self.member("no-nginx", keys: [position &+ 1], lbs: ["tcp"]),
            Self.member("nginx", keys: [position &+ 2], lbs: ["tcp", "nginx"]),
        ])
        #expect(ring.owner(of: "endpoint-c", loadBalancer: "tcp") == "no-nginx")
        #expect(ring.owner(of: "endpoint-c", loadBalancer: "nginx") == "nginx", "skips managers without the driver")
        #expect(ring.owner(of: "endpoint-c", cloud: "docker") == nil, "nobody runs docker")
    }

    @Test func everyoneComputesTheSameOwnerWhateverTheOrder() {
        var generator = SystemRandomNumberGenerator()
        let members = (0..<5).map { index in
            Self.member("m\(index)", keys: (0..<64).map { _ in generator.next() })
        }
        let a = HashRing(members: members)
        let b = HashRing(members: members.reversed())
        for index in 0..<200 {
            #expect(a.owner(of: "endpoint-\(index)") == b.owner(of: "endpoint-\(index)"))
        }
    }

    @Test func leavingMovesOnlyTheLeaversEndpoints() {
        var generator = SystemRandomNumberGenerator()
        let members = (0..<4).map { index in
            Self.member("m\(index)", keys: (0..<64).map { _ in generator.next() })
        }
        let before = HashRing(members: members)
        let after = HashRing(members: Array(members.dropFirst()))
        var moved = 0
        var share: [String: Int] = [:]
        for index in 0..<1000 {
            let name = "endpoint-\(index)"
            let old = before.owner(of: name)
            share[old ?? "", default: 0] += 1
            if old != "m0" {
                #expect(after.owner(of: name) == old, "\(name) did not belong to the leaver and stays put")
            } else {
                moved += 1
                #expect(after.owner(of: name) != "m0")
            }
        }
        #expect(moved == share["m0"])
        #expect(share.values.allSatisfy { $0 > 120 }, "64 keys each spread 1,000 endpoints roughly evenly: \(share)")
    }
}
