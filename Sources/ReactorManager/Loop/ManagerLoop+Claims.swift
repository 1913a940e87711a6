import Foundation
import Logging
import ReactorCore
import ReactorStore
import ZooKeeper

/// Claims: taking and giving endpoints as the ring says (``OwnershipMoves``), and forgetting
/// what belonged to a released endpoint.
extension ManagerLoop {
    /// Takes, gives up and reports the endpoints `ids` as ``OwnershipMoves`` says, in order.
    mutating func moveClaims(_ ids: [String]) async throws {
        let endpoints = ids.map { id in
            (
                id: id,
                needs: self.endpoints.entries[id].map {
                    OwnershipMoves.Needs(cloud: $0.cloud, loadBalancer: $0.loadBalancer)
                }
            )
        }
        let moves = OwnershipMoves(
            endpoints: endpoints, ring: membership.ring, managerID: identity.id, claimed: Set(claims.keys))
        for move in moves.moves {
            switch move {
            case .take(let id):
                try await take(id)
            case .give(let id, let owner):
                guard let claim = claims[id] else { continue }
                try await give(claim, to: owner)
            case .reportNoOffer(let id, let cloud, let loadBalancer):
                await report(id, Self.noOffer(cloud: cloud, loadBalancer: loadBalancer))
            }
        }
    }

    /// Why no manager owns an endpoint: none runs its cloud or its load balancer.
    static func noOffer(cloud: String?, loadBalancer: String?) -> String {
        let wanted = [cloud.map { "cloud '\($0)'" }, loadBalancer.map { "loadbalancer '\($0)'" }].compactMap { $0 }
        return "no running manager offers \(wanted.joined(separator: " and ")); the endpoint waits for one"
    }

    mutating func take(_ id: String) async throws {
        // A name only the directory knows keeps a claim racing a delete from making a new epoch.
        guard let claim = try await ownership.claim(id, name: endpoints.names[id] ?? "") else {
            let holder = try await ownership.holder(of: id) ?? "nobody"
            logger.debug("endpoint \(label(id)) is still held by \(holder); waiting for it to be released")
            return
        }
        claims[id] = claim
        await log(.info, "took ownership of endpoint \(label(id)) (epoch \(claim.epoch))", endpoint: id)
    }

    mutating func give(_ claim: OwnershipClaim, to owner: String?) async throws {
        try await ownership.release(claim, alsoDeleting: ReactorStore.ownerEphemeralChildren)
        forget(claim.endpointID)
        await log(
            .info, "released endpoint \(label(claim.endpointID)) to \(owner ?? "no manager")",
            endpoint: claim.endpointID)
    }

    /// Drops what this loop keeps for an endpoint it no longer owns.
    mutating func forget(_ id: String) {
        claims[id] = nil
        publishedMetrics[id] = nil
        publishedActive[id] = nil
        recordedDecisions[id] = nil
        lastWorked[id] = nil
        launchBackoff[id] = nil
        conditions[id] = nil
    }
}
