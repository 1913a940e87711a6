import Foundation
import Logging
import ReactorCore
import ReactorStore
import ServiceLifecycle
import ZooKeeper

/// The manager agent (DESIGN.md §4): registers, takes its share of the endpoints on the ring,
/// and runs the loop for the endpoints it owns.
///
/// A `Service`: `run()` is the manager's life. It returns on graceful shutdown (SIGTERM/SIGINT
/// through its `ServiceGroup`) or when its task is cancelled, after giving up its endpoints and
/// unregistering so the others take over at once.
public struct ManagerService: Service, Sendable {
    public let client: ZooKeeperClient
    public let store: ReactorStore
    public let identity: ManagerIdentity
    public let settings: ManagerSettings

    public init(client: ZooKeeperClient, identity: ManagerIdentity, settings: ManagerSettings) {
        self.client = client
        self.store = ReactorStore(client: client)
        self.identity = identity
        self.settings = settings
    }

    public func run() async throws {
        try await store.prepareLayout()
        settings.logger.info(
            "manager starting",
            metadata: [
                "manager.name": "\(identity.name)", "manager.id": "\(identity.id)",
                "manager.clouds": "\(identity.clouds)", "manager.loadbalancers": "\(identity.loadBalancers)",
            ])
        // The passes run in a task of their own, cancelled on graceful shutdown (or when run() is
        // cancelled): a pass in progress stops at its next wait, so that a stop is quick (an
        // instance being ended is not waited for). Handing over and unregistering then run here,
        // where nothing was cancelled by the shutdown, so their waits take the time they need.
        // (Not ServiceLifecycle's `gracefulShutdown()` among the loop's waits: a wait on it that
        // is cancelled as it starts can miss the cancellation and never end.)
        let passes = Task { await runPasses() }
        let handOver = await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await passes.value
            } onGracefulShutdown: {
                passes.cancel()
            }
        } onCancel: {
            passes.cancel()
        }
        await handOver.loop.shutdown()
    }

    /// The loop's life until its task is cancelled; returns the loop for the hand-over.
    private func runPasses() async -> LoopHandOver {
        var loop = ManagerLoop(service: self, identity: identity)
        while !Task.isCancelled {
            let started = ContinuousClock.now
            let before = client.operationCounts
            do {
                try await loop.pass()
            } catch is CancellationError {
                break
            } catch {
                if Task.isCancelled { break }
                settings.logger.warning("manager pass failed: \(error)")
            }
            if let next = loop.registrationChange {
                // Ring keys or drivers changed: hand everything over and join again as a new
                // member (a registration never changes under its uuid).
                await loop.shutdown()
                loop = ManagerLoop(service: self, identity: next)
                continue
            }
            loop.lastPassDuration = ContinuousClock.now - started
            let after = client.operationCounts
            settings.logger.debug(
                "pass: \(Int(ManagerLoop.seconds(loop.lastPassDuration) * 1000)) ms, \(after.reads - before.reads) reads, \(after.writes - before.writes) writes, owns \(loop.claims.count) of \(loop.endpoints.entries.count) endpoints"
            )
            await loop.waitForNextPass()
        }
        return LoopHandOver(loop)
    }
}

/// The loop's state handed from the task that ran the passes to `run()`, which ends it.
final class LoopHandOver: @unchecked Sendable {
    // @unchecked: written once by the passes' task as it ends, read by run() only after that
    // task's value was awaited; never touched by both at once.
    var loop: ManagerLoop

    init(_ loop: ManagerLoop) {
        self.loop = loop
    }
}

/// How long an endpoint's launches are held back after its instances failed.
struct LaunchBackoff {
    var failures: Int
    var lastFailure: ContinuousClock.Instant
    var until: ContinuousClock.Instant
}

/// The state of one manager's loop; lives inside ``ManagerService/run()``'s task only.
struct ManagerLoop {
    let service: ManagerService
    var client: ZooKeeperClient { service.client }
    var store: ReactorStore { service.store }
    /// Who this loop registers as: the host's drivers narrowed by the configuration.
    let identity: ManagerIdentity
    var logger: Logger { service.settings.logger }
    let ownership: EndpointOwnership

    var membership = MembershipView()
    var endpoints = EndpointDirectory()
    var claims: [String: OwnershipClaim] = [:]
    var publishedMetrics: [String: JSONValue] = [:]
    var publishedActive: [String: [String]] = [:]
    /// Per endpoint: the decision recorded last, so that only changes are written.
    var recordedDecisions: [String: JSONValue] = [:]
    /// Per endpoint: instances failing in a row hold its launches back, longer each time.
    var launchBackoff: [String: LaunchBackoff] = [:]
    var session: Int64 = 0
    var interval: Duration
    var lastPassDuration: Duration = .zero
    var lastWorked: [String: ContinuousClock.Instant] = [:]
    var reportedProblems: Set<String> = []
    let liveHosts = LiveHosts()
    let clouds: [String: any CloudDriver]
    let processCloud: ProcessCloud
    var frontDoor: FrontDoor
    /// Fires when the manager's configuration node changes (or appears).
    var configurationWatch: Watch?
    var configuration: ManagerConfig?
    /// Set when the configuration asks for other ring keys or drivers than this loop registered.
    var registrationChange: ManagerIdentity?

    init(service: ManagerService, identity: ManagerIdentity) {
        self.service = service
        self.identity = identity
        self.ownership = EndpointOwnership(client: service.client, managerID: identity.id)
        self.interval = service.settings.interval ?? service.settings.defaultInterval
        let liveHosts = self.liveHosts
        processCloud = ProcessCloud(
            client: service.client, host: service.identity.name, apiURL: service.settings.apiURL,
            logger: service.settings.logger, liveHosts: { liveHosts.names })
        var clouds: [String: any CloudDriver] = [:]
        if identity.clouds.contains("process") { clouds["process"] = processCloud }
        self.clouds = clouds
        let installation = String(HashRing.position(of: service.client.configuration.connectString), radix: 16)
        let stateDirectory =
            service.settings.stateDirectory
            ?? NSTemporaryDirectory() + "reactor-manager/\(identity.name)-\(installation)"
        frontDoor = FrontDoor(
            client: service.client, managerID: identity.id, loadBalancers: identity.loadBalancers,
            stateDirectory: stateDirectory, dns: (service.settings.dnsListen, service.settings.dnsPort),
            log: ManagerLog(store: service.store, name: identity.name, logger: service.settings.logger))
    }

    // MARK: One pass

    mutating func pass() async throws {
        try await readConfiguration()
        if registrationChange != nil { return }
        try await ensureRegistered()
        try await membership.refresh(client)
        liveHosts.names = membership.hostNames
        try await processRegistrations()
        // Newly confirmed instances get traffic now, not after the rest of the pass.
        try await frontDoor.refresh(endpoints)
        try await processCloud.reapMarked()
        try await processCloud.reapOrphans()
        let ids = try await endpoints.refresh(client)
        try await deleteInstancesOfDeletedEndpoints(known: Set(ids))
        try await frontDoor.refresh(endpoints)
        try await frontDoor.publish(endpoints)
        for id in claims.keys where endpoints.entries[id] == nil { forget(id) }
        for id in ids {
            let entry = endpoints.entries[id]
            let owner = membership.ring.owner(of: id, cloud: entry?.cloud, loadBalancer: entry?.loadBalancer)
            if owner == identity.id {
                if claims[id] == nil { try await take(id) }
            } else if let claim = claims[id] {
                try await give(claim, to: owner)
            }
        }
        try await workOnOwnedEndpoints()
    }

    /// Runs every owned endpoint's work, several at once (each is a chain of ZooKeeper round
    /// trips, so a pass over thousands of endpoints is bound by latency, not by CPU).
    mutating func workOnOwnedEndpoints() async throws {
        let now = ContinuousClock.now
        let reports = claims.isEmpty ? FrontDoorReports() : await FrontDoorReports.read(client)
        var works: [EndpointWork] = []
        for claim in claims.values.sorted(by: { $0.endpointID < $1.endpointID }) {
            let id = claim.endpointID
            let elapsed = lastWorked[id].map { now - $0 } ?? interval
            lastWorked[id] = now
            works.append(
                EndpointWork(
                    client: client, store: store, ownership: ownership, claim: claim, entry: endpoints.entries[id],
                    name: endpoints.names[id] ?? id, nameToID: endpoints.ids, clouds: clouds,
                    previousMetrics: publishedMetrics[id], previousActive: publishedActive[id],
                    previousDecision: recordedDecisions[id],
                    elapsed: Self.seconds(elapsed), reports: reports,
                    log: managerLog, launchesHeld: (launchBackoff[id]?.until).map { $0 > now } ?? false))
        }
        let outcomes = await runServingRegistrations(works)
        for finished in outcomes {
            let id = finished.id
            switch finished.result {
            case .success(let result):
                if result.failures > 0 { await holdLaunches(id, after: result.failures) }
                publishedMetrics[id] = result.published
                publishedActive[id] = result.activeBackends
                recordedDecisions[id] = result.decision
                for problem in result.problems { await report(id, problem) }
            case .failure(let lost as OwnershipLost):
                forget(id)
                await log(.warning, "fenced: \(lost); no action taken")
            case .failure(let error as ZooKeeperError) where error.code == .noNode:
                continue  // the endpoint was deleted during the pass
            case .failure(let error):
                await log(.warning, "endpoint \(endpoints.names[id] ?? id): \(error)", endpoint: id)
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
            let queued = try? await client.childrenWatching(ZNodeLayout.newIPs)
            let fresh = Set(queued?.0 ?? []).filter { ownsRegistration(of: $0) }.subtracting(tried)
            if !fresh.isEmpty {
                tried.formUnion(fresh)
                try? await processRegistrations()
                try? await frontDoor.refresh(endpoints)
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
            if let registrations = queued?.1 {
                waits.append {
                    _ = try? await registrations.event()
                    return .registrations
                }
            }
            let wake = await firstOf(waits, otherwise: .done)
            if wake == .done { break }
            if wake == .backends { try? await frontDoor.refresh(endpoints) }
        }
        return await worker.value
    }

    /// Failed instances in a row hold an endpoint's launches back for one interval, then two,
    /// four … (at most 5 minutes), so a command that exits at once is not restarted every pass;
    /// the count starts again after 5 minutes without a failure.
    mutating func holdLaunches(_ id: String, after failures: Int) async {
        let now = ContinuousClock.now
        var backoff = launchBackoff[id] ?? LaunchBackoff(failures: 0, lastFailure: now, until: now)
        if now - backoff.lastFailure > .seconds(300) { backoff.failures = 0 }
        backoff.failures += failures
        backoff.lastFailure = now
        let hold = min(Self.seconds(interval) * pow(2, Double(min(backoff.failures, 20) - 1)), 300)
        backoff.until = now + .milliseconds(Int(hold * 1000))
        launchBackoff[id] = backoff
        await log(
            .warning,
            "\(backoff.failures) instance failure(s) in a row: no launch for \(String(format: "%.1f", hold)) s",
            endpoint: id)
    }

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
        let path = ZNodeLayout.managerKey(identity.id)
        if try await client.exists(path)?.ephemeralOwner == current { return }
        do {
            try await client.create(path, data: Array(identity.registration.encoded()), mode: .ephemeral)
        } catch let error as ZooKeeperError where error.code == .nodeExists {
            // Left by this manager's expired session and not yet removed by the server.
            try await client.delete(path)
            try await client.create(path, data: Array(identity.registration.encoded()), mode: .ephemeral)
        }
        await log(.info, "registered as \(identity.id) with \(identity.keys.count) ring keys (\(reason))")
    }

    /// Reads `/reactor/managers/configs/<name>` when it changed (a watch tells), and applies it:
    /// the interval at once; other ring keys or drivers through ``registrationChange``.
    mutating func readConfiguration() async throws {
        if let watch = configurationWatch, !watch.hasFired { return }
        let path = ZNodeLayout.managerConfig(identity.name)
        var config = ManagerConfig()
        do {
            let (node, watch) = try await client.getWatching(path)
            configurationWatch = watch
            if !node.bytes.isEmpty {
                do {
                    config = try ManagerConfig(json: JSONValue(parsing: Data(node.bytes)))
                } catch {
                    await log(.warning, "configuration \(path) is not valid (\(error)); using the defaults")
                }
            }
        } catch let error as ZooKeeperError where error.code == .noNode {
            let (stat, watch) = try await client.existsWatching(path)
            configurationWatch = stat == nil ? watch : nil  // created meanwhile: read it next pass
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

    /// An endpoint deleted while its instances ran leaves their records behind; the manager the
    /// ring would give that endpoint deletes them (ending the processes, on whichever host).
    mutating func deleteInstancesOfDeletedEndpoints(known: Set<String>) async throws {
        guard clouds["process"] != nil else { return }
        for id in await processCloud.endpointsWithInstances() where !known.contains(id) {
            guard membership.ring.owner(of: id, cloud: "process") == identity.id else { continue }
            // Read again: an endpoint created since the directory's read is not deleted.
            if try await client.exists(ZNodeLayout.endpoint(id)) != nil { continue }
            let count = try await processCloud.deleteInstances(ofDeletedEndpoint: id)
            if count > 0 { await log(.info, "deleted \(count) instance(s) of endpoint \(id), which was deleted") }
        }
    }

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
        try await ownership.release(claim, alsoDeleting: [EndpointNode.liveMetrics, EndpointNode.liveActive])
        forget(claim.endpointID)
        await log(
            .info, "released endpoint \(label(claim.endpointID)) to \(owner ?? "no manager")",
            endpoint: claim.endpointID)
    }

    /// An endpoint as the logs name it: `web (uuid)`, or the uuid alone when its name is not known.
    func label(_ id: String) -> String {
        endpoints.names[id].map { "\($0) (\(id))" } ?? id
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

    /// Logs a problem once per endpoint (until it is resolved by a restart), not every pass.
    mutating func report(_ id: String, _ message: String) async {
        guard reportedProblems.insert("\(id):\(message)").inserted else { return }
        await log(.warning, message, endpoint: id)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Whether this manager handles the registration of `ip`: the ring owner of the IP among the
    /// managers that run a cloud (only they can match an IP to an instance).
    func ownsRegistration(of ip: String) -> Bool {
        membership.ring.owner(of: ip, cloud: "process") == identity.id
    }

    /// Confirms and unconfirms the queued instance IPs this manager owns on the ring.
    mutating func processRegistrations() async throws {
        for ip in try await store.queuedRegistrations() where ownsRegistration(of: ip) {
            var matched = false
            for cloud in clouds.values {
                guard let (endpointID, instanceID) = try await cloud.owner(ofIP: ip) else { continue }
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
            if !matched { await log(.warning, "ignored registration from \(ip): it matches no instance of any cloud") }
            try? await client.delete("\(ZNodeLayout.newIPs)/\(ip)")
        }
        for ip in try await store.queuedUnregistrations() where ownsRegistration(of: ip) {
            if let endpointID = try? await store.endpointID(forConfirmedIP: ip) {
                try? await client.delete(ZNodeLayout.endpoint(endpointID, "\(EndpointNode.confirmedIPs)/\(ip)"))
                await log(.info, "unconfirmed \(ip) (the instance unregistered)", endpoint: endpointID)
            }
            try? await client.delete(ZNodeLayout.ipAddress(ip))
            try? await client.delete("\(ZNodeLayout.dropIPs)/\(ip)")
        }
    }

    // MARK: Waiting and stopping

    /// Sleeps for the interval, or less when a manager joins or leaves, an IP registers or
    /// unregisters, or the configuration changes. When only balanced backends changed, reconfigures the balancers
    /// at once and goes back to sleep.
    mutating func waitForNextPass() async {
        let clock = service.settings.clock
        let wakeAt = clock.elapsed() + interval
        let queued = try? await client.childrenWatching(ZNodeLayout.newIPs)
        let unqueued = try? await client.childrenWatching(ZNodeLayout.dropIPs)
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
            try? await ownership.release(claim, alsoDeleting: [EndpointNode.liveMetrics, EndpointNode.liveActive])
        }
        let released = claims.count
        claims.removeAll()
        try? await client.delete(ZNodeLayout.managerKey(identity.id))
        await frontDoor.shutdown()
        await log(.info, "stopped; released \(released) endpoint(s) and unregistered")
    }

    var managerLog: ManagerLog { ManagerLog(store: store, name: identity.name, logger: logger) }

    func log(_ severity: LogEntry.Severity, _ message: String, endpoint: String? = nil) async {
        await managerLog(severity, message, endpoint: endpoint)
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
