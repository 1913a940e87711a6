import Testing

@testable import ReactorManager

/// Which manager serves a queued IP, from the ring alone (no ZooKeeper).
@Suite("Registration routing")
struct RegistrationRoutingTests {
    static let ip = "10.0.0.7"
    static var position: UInt64 { HashRing.position(of: ip) }

    /// `a` runs the process cloud, `b` the process and docker clouds; clockwise from the IP, `a`
    /// comes first, then `b`.
    static let ring = HashRing(members: [
        HashRing.Member(id: "a", keys: [position &+ 10], clouds: ["process"], loadBalancers: []),
        HashRing.Member(id: "b", keys: [position &+ 20], clouds: ["process", "docker"], loadBalancers: []),
    ])

    static func routing(_ id: String, clouds: [String]) -> RegistrationRouting {
        RegistrationRouting(ring: ring, managerID: id, clouds: clouds, cloudNames: ["process", "docker"])
    }

    @Test func eachCloudsOwnerServesTheIPForThatCloud() {
        let a = Self.routing("a", clouds: ["process"])
        let b = Self.routing("b", clouds: ["process", "docker"])
        #expect(a.registrationClouds(of: Self.ip) == ["process"], "a comes first among the process managers")
        #expect(b.registrationClouds(of: Self.ip) == ["docker"], "b is the only docker manager")
        #expect(a.ownsRegistration(of: Self.ip) && b.ownsRegistration(of: Self.ip))
    }

    @Test func aManagerWithoutTheCloudServesNothingForIt() {
        let b = Self.routing("b", clouds: ["process"])
        #expect(b.registrationClouds(of: Self.ip).isEmpty, "a owns the IP for the process cloud")
        #expect(!b.ownsRegistration(of: Self.ip))
    }

    @Test func onlyTheOwnerForEveryCloudDropsAnUnmatchedIP() {
        #expect(!Self.routing("a", clouds: ["process"]).answersForEveryCloud(Self.ip), "b owns it for docker")
        #expect(!Self.routing("b", clouds: ["process", "docker"]).answersForEveryCloud(Self.ip), "a for process")
        let alone = RegistrationRouting(ring: Self.ring, managerID: "a", clouds: ["process"], cloudNames: ["process"])
        #expect(alone.answersForEveryCloud(Self.ip), "with the process cloud only, a answers for all")
    }

    @Test func exactlyOneManagerUnconfirmsAnIP() {
        // The first cloud by name is docker, which only b runs.
        #expect(Self.routing("b", clouds: ["process", "docker"]).ownsUnregistration(of: Self.ip))
        #expect(!Self.routing("a", clouds: ["process"]).ownsUnregistration(of: Self.ip))
        for n in 0..<50 {
            let ip = "10.1.0.\(n)"
            let owners = ["a", "b"].filter { Self.routing($0, clouds: []).ownsUnregistration(of: ip) }
            #expect(owners.count == 1, "\(ip): one manager unconfirms it, not \(owners)")
        }
    }

    @Test func withoutAnyCloudNobodyUnconfirms() {
        let routing = RegistrationRouting(ring: Self.ring, managerID: "a", clouds: [], cloudNames: [])
        #expect(!routing.ownsUnregistration(of: Self.ip))
        #expect(!routing.ownsRegistration(of: Self.ip))
    }
}
