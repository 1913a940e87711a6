import Foundation
import Logging
import ReactorCore
import ReactorStore
import ZooKeeper

/// Registration: the manager's own node in `managers/keys`, made at start and again after its
/// session expired (its claims went with the session).
extension ManagerLoop {
    /// Registers (again) when this session has no registration: at start and after expiry.
    mutating func ensureRegistered() async throws {
        let current = try client.sessionID()
        var reason = session == 0 ? "joining the ring" : "its registration node was removed"
        if current != session {
            if session != 0 {
                reason = "the ZooKeeper session expired"
                let lost = claims.count
                for id in claims.keys { forget(id) }
                frontDoor.forgetPublished()
                await log(
                    .warning, "ZooKeeper session changed (expired); \(lost) endpoint(s) lost with it; registering again"
                )
            }
            session = current
        }
        // A node left by this manager's expired session (not yet removed by the server) is replaced.
        guard try await store.registerManager(id: identity.id, registration: identity.registration) else { return }
        await log(.info, "registered as \(identity.id) with \(identity.keys.count) ring keys (\(reason))")
    }
}
