import Foundation
import Logging
import ReactorCore
import ReactorStore
import ZooKeeper

/// The registration queue: instance IPs queued by `POST /register` and `/unregister`, confirmed
/// and unconfirmed by the manager ``RegistrationRouting`` picks for each, at each pass and while
/// the endpoints' work runs.
extension ManagerLoop {
    /// Which queued IPs this manager serves, from the ring as this pass read it.
    var routing: RegistrationRouting {
        RegistrationRouting(
            ring: membership.ring, managerID: identity.id, clouds: clouds.keys.sorted(),
            cloudNames: membership.cloudNames)
    }

    /// Confirms and unconfirms the queued instance IPs this manager owns on the ring.
    mutating func processRegistrations() async throws {
        for ip in try await store.queuedRegistrations() where routing.ownsRegistration(of: ip) {
            var matched = false
            for name in routing.registrationClouds(of: ip) {
                guard let cloud = clouds[name], let (endpointID, instanceID) = try await cloud.owner(ofIP: ip) else {
                    continue
                }
                matched = true
                let name = endpoints.names[endpointID] ?? endpointID
                do {
                    // Refused in the same batch when the instance is no longer active, so a
                    // decommission racing this confirmation cannot leave the IP confirmed.
                    try await store.confirmInstanceIP(ip, id: endpointID, name: name, instance: instanceID)
                    await log(.info, "confirmed \(ip) for instance \(instanceID)", endpoint: endpointID)
                } catch InstanceConfirmationError.instanceNotActive {
                    await log(.info, "ignored registration from \(ip): its instance \(instanceID) is not active")
                } catch StoreError.endpointNotFound {
                    // The cloud's lease outlives a deleted endpoint until its instances are ended:
                    // nothing to confirm, and the rest of the pass (the balancers) must go on.
                    await log(.info, "ignored registration from \(ip): its endpoint \(name) was deleted")
                }
            }
            if !matched {
                // Another cloud's owner may still match it: only the owner for all of them drops it.
                guard routing.answersForEveryCloud(ip) else { continue }
                await log(.warning, "ignored registration from \(ip): it matches no instance of any cloud")
            }
            do {
                try await store.dequeueRegistration(ip: ip)
            } catch {
                // Still queued: handled again (idempotently) on the next pass.
                logger.warning("cannot take \(ip) off the registration queue: \(error)")
            }
        }
        for ip in try await store.queuedUnregistrations() where routing.ownsUnregistration(of: ip) {
            let endpointID: String?
            do {
                endpointID = try await store.endpointID(forConfirmedIP: ip)
            } catch StoreError.noEndpointForIP {
                endpointID = nil  // never confirmed, or unconfirmed already
            } catch {
                logger.warning("cannot read which endpoint \(ip) is confirmed for: \(error)")
                continue  // still queued: tried again on the next pass
            }
            do {
                try await store.completeUnregistration(ip: ip, id: endpointID)
            } catch {
                // Still queued: tried again on the next pass.
                logger.warning("cannot unconfirm \(ip): \(error)")
                continue
            }
            if let endpointID {
                await log(.info, "unconfirmed \(ip) (the instance unregistered)", endpoint: endpointID)
            }
        }
    }

    /// Runs the endpoints' work; meanwhile confirms registrations as they are queued and
    /// reconfigures the balancers when backends change, so that an instance registering during
    /// a long pass (launches, many endpoints) gets traffic at once rather than after it.
    mutating func runServingRegistrations(_ works: [EndpointWork]) async -> [EndpointWork.Finished] {
        // A latch: its ring can reach a wait that loses the race below and is dropped.
        let done = Doorbell(sticky: true)
        let worker = Task {
            let outcomes = await EndpointWork.runAll(works, concurrency: 16)
            done.ring()
            return outcomes
        }
        let backends = frontDoor.changes
        enum Wake { case done, registrations, backends }
        var tried: Set<String> = []  // each queued IP once here (a failure waits for the pass)
        while true {
            // Without the queue's watch, the pass's end (or a backend change) is waited on alone.
            let store = self.store
            let queued = await watchQueue("registration", &registrationQueue) {
                try await store.watchRegistrationQueue()
            }
            let fresh = Set(queued?.ips ?? []).filter { routing.ownsRegistration(of: $0) }.subtracting(tried)
            if !fresh.isEmpty {
                tried.formUnion(fresh)
                do {
                    try await processRegistrations()
                } catch {
                    // The queue stays; the next pass serves it.
                    logger.warning("cannot serve the registrations queued during the pass: \(error)")
                }
                await refreshBalancers()
                continue
            }
            var waits: [@Sendable () async -> Wake] = [
                {
                    await done.wait()
                    return .done
                },
                {
                    await backends.wait()
                    return .backends
                },
            ]
            if let registrations = queued?.watch {
                let logger = self.logger
                waits.append {
                    await Self.awaitEvent(registrations, logger: logger)
                    return .registrations
                }
            }
            let wake = await firstOf(waits, otherwise: .done)
            if wake == .done { break }
            if wake == .backends { await refreshBalancers() }
        }
        return await worker.value
    }

    /// Reconfigures the balancers for the backends now confirmed; a failure is logged and the
    /// pass's own refresh tries again.
    mutating func refreshBalancers() async {
        do {
            try await frontDoor.refresh(endpoints)
        } catch {
            logger.warning("cannot reconfigure the balancers: \(error)")
        }
    }
}
