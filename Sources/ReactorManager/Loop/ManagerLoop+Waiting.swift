import Foundation
import Logging
import ReactorCore
import ReactorStore
import ZooKeeper

/// Waiting between passes and stopping.
extension ManagerLoop {
    /// Sleeps for the interval, or less when a manager joins or leaves, an IP registers or
    /// unregisters, or the configuration changes. When only balanced backends changed, reconfigures the balancers
    /// at once and goes back to sleep.
    mutating func waitForNextPass() async {
        let clock = service.settings.clock
        let wakeAt = clock.elapsed() + interval
        // A queue that cannot be watched (connection loss) is seen at the next pass, at the latest
        // after the interval.
        let queued = try? await store.watchRegistrationQueue()
        let unqueued = try? await store.watchUnregistrationQueue()
        // Registrations that arrived during the pass (after its read of the queues) are not
        // waited on: the watches set now only see later ones.
        let waiting = (queued?.0 ?? []) + (unqueued?.0 ?? [])
        if waiting.contains(where: { ownsRegistration(of: $0) }) { return }
        let backends = frontDoor.changes
        enum Wake { case pass, backends }
        var waits: [@Sendable () async -> Wake] = [
            {
                try? await clock.sleep(wakeAt - clock.elapsed())
                return .pass
            },
            {
                await backends.wait()
                return .backends
            },
        ]
        // Any of these changes calls for a pass.
        for watch in [membership.watch, queued?.1, unqueued?.1, configurationWatch].compactMap({ $0 }) {
            waits.append {
                _ = try? await watch.event()
                return .pass
            }
        }
        while true {
            let wake = await firstOf(waits, otherwise: .pass)
            guard wake == .backends, !Task.isCancelled else { return }
            do {
                try await frontDoor.refresh(endpoints)
            } catch {
                logger.warning("cannot reconfigure the balancers: \(error)")
            }
        }
    }

    /// Gives up every endpoint and unregisters, so the others take over without waiting for
    /// this session to time out.
    mutating func shutdown() async {
        for claim in claims.values {
            do {
                try await ownership.release(claim, alsoDeleting: ReactorStore.ownerEphemeralChildren)
            } catch {
                // The claim ends with this session anyway; the next owner waits for that.
                logger.warning("cannot release endpoint \(label(claim.endpointID)): \(error)")
            }
        }
        let released = claims.count
        claims.removeAll()
        do {
            try await store.unregisterManager(id: identity.id)
        } catch {
            // The registration ends with this session anyway.
            logger.warning("cannot unregister \(identity.id): \(error)")
        }
        await frontDoor.shutdown()
        await log(.info, "stopped; released \(released) endpoint(s) and unregistered")
    }
}

/// Runs `waits` side by side and returns the value of the first to finish, cancelling the
/// others (a cancelled `Watch.event()` or `Doorbell.wait()` leaves its event for a later wait).
func firstOf<Wake: Sendable>(_ waits: [@Sendable () async -> Wake], otherwise fallback: Wake) async -> Wake {
    await withTaskGroup(of: Wake.self) { group in
        for wait in waits { group.addTask(operation: wait) }
        let first = await group.next() ?? fallback
        group.cancelAll()
        return first
    }
}
