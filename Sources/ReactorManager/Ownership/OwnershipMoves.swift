/// What a manager does with each endpoint's claim in a pass, from the ring: take the endpoints
/// the ring gives it, give up the claims it gives another (or nobody), and, for an endpoint no
/// running manager can run, say so — only the manager the ring would pick were drivers no
/// matter, so that one manager says it. A value computed from the ring, carried out by
/// `ManagerLoop.moveClaims` (`ManagerLoop+Claims.swift`).
struct OwnershipMoves: Sendable, Equatable {
    enum Move: Sendable, Equatable {
        /// Claim the endpoint.
        case take(String)
        /// Release the claim; the ring gives the endpoint to `to` (nil: nobody can run it).
        case give(String, to: String?)
        /// Say in the endpoint's log that no running manager offers its drivers.
        case reportNoOffer(String, cloud: String?, loadBalancer: String?)
    }

    /// The drivers an endpoint needs, as its configuration names them.
    struct Needs: Sendable, Equatable {
        var cloud: String?
        var loadBalancer: String?
    }

    /// The moves, endpoint by endpoint in the order given.
    private(set) var moves: [Move] = []

    /// - Parameters:
    ///   - endpoints: every endpoint, in the order to work on them, with the drivers it needs
    ///     (nil: its configuration is not read yet).
    ///   - ring: the ring of every running manager.
    ///   - managerID: this manager.
    ///   - claimed: the endpoints this manager holds a claim on.
    init(endpoints: [(id: String, needs: Needs?)], ring: HashRing, managerID: String, claimed: Set<String>) {
        for (id, needs) in endpoints {
            let owner = ring.owner(of: id, cloud: needs?.cloud, loadBalancer: needs?.loadBalancer)
            if owner == managerID {
                if !claimed.contains(id) { moves.append(.take(id)) }
            } else if claimed.contains(id) {
                moves.append(.give(id, to: owner))
            }
            if owner == nil, let needs, ring.owner(of: id) == managerID {
                moves.append(.reportNoOffer(id, cloud: needs.cloud, loadBalancer: needs.loadBalancer))
            }
        }
    }
}
