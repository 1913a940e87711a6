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
        let store = self.store
        let queued = await watchQueue("registration", &registrationQueue) { try await store.watchRegistrationQueue() }
        let unqueued = await watchQueue("unregistration", &unregistrationQueue) {
            try await store.watchUnregistrationQueue()
        }
        // Registrations that arrived during the pass (after its read of the queues) are not
        // waited on: the watches set now only see later ones.
        let waiting = (queued?.0 ?? []) + (unqueued?.0 ?? [])
        let routing = self.routing
        if waiting.contains(where: { routing.ownsRegistration(of: $0) }) { return }
        let backends = frontDoor.changes
        enum Wake { case pass, backends }
        var waits: [@Sendable () async -> Wake] = [
            {
                // Cancelled: another wait finished first (its wake is the one used), or the
                // manager stops; a pass either way.
                try? await clock.sleep(wakeAt - clock.elapsed())
                return .pass
            },
            {
                await backends.wait()
                return .backends
            },
        ]
        // Any of these changes calls for a pass.
        let logger = self.logger
        for watch in [membership.watch, queued?.watch, unqueued?.watch, configurationWatch].compactMap({ $0 }) {
            waits.append {
                await Self.awaitEvent(watch, logger: logger)
                return .pass
            }
        }
        while true {
            let wake = await firstOf(waits, otherwise: .pass)
            guard wake == .backends, !Task.isCancelled else { return }
            await refreshBalancers()
        }
    }

    /// An IP queue and a watch on it; nil when it cannot be watched (a connection loss): the
    /// queue is seen at the next pass, at the latest after the interval.
    /// The queue is read again only once its kept watch fired (see ``KeptWatch``).
    func watchQueue(
        _ name: String, _ kept: inout KeptWatch<[String]>,
        _ watch: () async throws -> (ips: [String], watch: Watch)
    ) async -> (ips: [String], watch: Watch)? {
        do {
            let (ips, watch) = try await kept.current { try await watch() }
            return (ips, watch)
        } catch {
            logger.debug("cannot watch the \(name) queue (read again at the next pass): \(error)")
            return nil
        }
    }

    /// Waits for `watch` to fire. A watch that ends without an event (the session ended, the wait
    /// was cancelled) ends the wait too: what follows reads the node again either way.
    static func awaitEvent(_ watch: Watch, logger: Logger) async {
        do {
            _ = try await watch.event()
        } catch {
            logger.debug("a watch ended without an event: \(error)")
        }
    }

    /// Ends the instances of this host that only this manager can end, cloud by cloud
    /// (``ManagerSettings/endHostInstancesOnShutdown``).
    func endHostInstances(report: @Sendable (_ cloud: String, _ ended: Int) -> Void) async {
        for (name, cloud) in clouds.sorted(by: { $0.key < $1.key }) {
            let ended = await cloud.endHostInstances()
            guard ended > 0 else { continue }
            logger.info("ended \(ended) instance(s) of cloud '\(name)' on this host")
            report(name, ended)
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
