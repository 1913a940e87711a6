import Foundation
import ReactorStore

/// Housekeeping: each cloud's own upkeep on this host (``CloudDriver/housekeeping()``: the
/// process cloud ends what another manager marked and what no record names), and the ending of
/// instances whose endpoint was deleted.
extension ManagerLoop {
    /// Runs every cloud's ``CloudDriver/housekeeping()``.
    func cloudHousekeeping() async throws {
        for cloud in clouds.values { try await cloud.housekeeping() }
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
