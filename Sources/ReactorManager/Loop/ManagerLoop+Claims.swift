import Foundation
import Logging
import ReactorCore
import ReactorStore
import ZooKeeper

/// Claims and housekeeping: taking and giving endpoints as the ring says, forgetting what
/// belonged to a released endpoint, and ending instances of deleted endpoints.
extension ManagerLoop {
    mutating func take(_ id: String) async throws {
        guard let claim = try await ownership.claim(id) else {
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
    }

    /// An endpoint deleted while its instances ran leaves their records behind; the manager the
    /// ring would give that endpoint deletes them (ending the processes, on whichever host).
    mutating func deleteInstancesOfDeletedEndpoints(known: Set<String>) async throws {
        for (name, cloud) in clouds.sorted(by: { $0.key < $1.key }) {
            for id in try await cloud.endpointsWithRecords() where !known.contains(id) {
                guard membership.ring.owner(of: id, cloud: name) == identity.id else { continue }
                // Read again: an endpoint created since the directory's read is not deleted.
                if try await store.endpointExists(id: id) { continue }
                let count = try await cloud.deleteInstances(ofDeletedEndpoint: id)
                if count > 0 {
                    await log(.info, "deleted \(count) \(name) instance(s) of endpoint \(id), which was deleted")
                }
            }
        }
    }
}
