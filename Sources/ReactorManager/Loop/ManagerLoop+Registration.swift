import Foundation
import Logging
import ReactorCore
import ReactorStore
import ZooKeeper

/// Registration: the manager's own registration and configuration watch, and the queue of
/// instance IP registrations it serves as the ring owner.
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

    /// Reads `/reactor/managers/configs/<name>` when it changed (a watch tells), and applies it:
    /// the interval at once; other ring keys or drivers through ``registrationChange``.
    mutating func readConfiguration() async throws {
        if let watch = configurationWatch, !watch.hasFired { return }
        let path = ZNodeLayout.managerConfig(identity.name)
        var config = ManagerConfig()
        // No watch: the node was created between the reads; it is read next pass.
        let (bytes, watch) = try await store.watchManagerConfiguration(name: identity.name)
        configurationWatch = watch
        if let bytes, !bytes.isEmpty {
            do {
                config = try ManagerConfig(json: JSONValue(parsing: Data(bytes)))
            } catch {
                await log(.warning, "configuration \(path) is not valid (\(error)); using the defaults")
            }
        }
        let previous = configuration
        configuration = config
        if service.settings.interval == nil {
            interval = .milliseconds(Int(config.interval * 1000))
            if let previous, previous.interval != config.interval {
                await log(.info, "configuration changed: interval \(previous.interval) s → \(config.interval) s")
            }
        }
        let host = service.identity
        let keyCount = service.settings.keyCount ?? config.keys
        let clouds = host.clouds.filter { name in config.clouds.contains { $0.rawValue == name } }
        let loadBalancers = host.loadBalancers.filter { name in config.loadBalancers.contains { $0.rawValue == name } }
        if keyCount != identity.keys.count || clouds != identity.clouds || loadBalancers != identity.loadBalancers {
            var next = ManagerIdentity(
                name: identity.name, keyCount: keyCount, clouds: clouds, loadBalancers: loadBalancers, ips: identity.ips
            )
            if keyCount == identity.keys.count { next.keys = identity.keys }
            registrationChange = next
            await log(
                .info,
                "configuration asks for \(keyCount) ring keys, clouds [\(clouds.joined(separator: ","))], "
                    + "load balancers [\(loadBalancers.joined(separator: ","))]; registering again as \(next.id)")
        }
    }

    /// The clouds for which this manager serves the registration of `ip`: for each cloud, the
    /// ring owner of the IP among the managers that run that cloud matches it to an instance.
    func registrationClouds(of ip: String) -> [String] {
        clouds.keys.sorted().filter { membership.ring.owner(of: ip, cloud: $0) == identity.id }
    }

    /// Whether this manager handles the registration of `ip` for one of its clouds.
    func ownsRegistration(of ip: String) -> Bool {
        !registrationClouds(of: ip).isEmpty
    }

    /// Whether this manager may take an IP that matched none of its instances off the queue: it
    /// is the IP's owner for every cloud the running managers run, so nobody else would match it.
    func answersForEveryCloud(_ ip: String) -> Bool {
        membership.cloudNames.allSatisfy { membership.ring.owner(of: ip, cloud: $0) == identity.id }
    }

    /// Whether this manager unconfirms `ip` when it unregisters: the IP's owner for the first of
    /// the running managers' clouds (one manager, whatever the IP's cloud).
    func ownsUnregistration(of ip: String) -> Bool {
        guard let first = membership.cloudNames.min() else { return false }
        return membership.ring.owner(of: ip, cloud: first) == identity.id
    }

    /// Confirms and unconfirms the queued instance IPs this manager owns on the ring.
    mutating func processRegistrations() async throws {
        for ip in try await store.queuedRegistrations() where ownsRegistration(of: ip) {
            var matched = false
            for name in registrationClouds(of: ip) {
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
                }
            }
            if !matched {
                // Another cloud's owner may still match it: only the owner for all of them drops it.
                guard answersForEveryCloud(ip) else { continue }
                await log(.warning, "ignored registration from \(ip): it matches no instance of any cloud")
            }
            do {
                try await store.dequeueRegistration(ip: ip)
            } catch {
                // Still queued: handled again (idempotently) on the next pass.
                logger.warning("cannot take \(ip) off the registration queue: \(error)")
            }
        }
        for ip in try await store.queuedUnregistrations() where ownsUnregistration(of: ip) {
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
        let done = Doorbell()
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
            let queued = await watchQueue("registration") { try await store.watchRegistrationQueue() }
            let fresh = Set(queued?.ips ?? []).filter { ownsRegistration(of: $0) }.subtracting(tried)
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
