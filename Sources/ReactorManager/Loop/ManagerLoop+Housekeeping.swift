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

    /// Removes the data of endpoints no name refers to, left by a delete that stopped between its
    /// steps (the API died after removing the name). An endpoint is removed once it was unnamed in
    /// two passes in a row (a create's name and data appear together, but the directory may have
    /// read the data before the names it was made with), by the manager the ring gives it, after a
    /// last look at every name.
    mutating func removeUnnamedEndpoints() async throws {
        let unnamed = endpoints.unnamed
        let seenTwice = unnamed.intersection(unnamedBefore)
        unnamedBefore = unnamed
        for id in seenTwice.sorted() where membership.ring.owner(of: id) == identity.id {
            guard try await !store.isNamed(id: id) else { continue }
            try await store.removeEndpointData(id: id)
            await log(.warning, "removed the data of endpoint \(id): no name refers to it (a delete stopped half-way)")
        }
    }
}
