import Foundation
import Logging
import ReactorCore
import ReactorStore
import ZooKeeper

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
    /// The registration and unregistration queues, each with the watch that tells when to read it again.
    var registrationQueue = KeptWatch<[String]>()
    var unregistrationQueue = KeptWatch<[String]>()
    /// Endpoints found without a name in the previous pass (see ``removeUnnamedEndpoints()``).
    var unnamedBefore: Set<String> = []
    /// Per endpoint: its conditions as this owner last stored them.
    var conditions: [String: EndpointConditions] = [:]
    var session: Int64 = 0
    var interval: Duration
    var lastPassDuration: Duration = .zero
    var lastWorked: [String: ContinuousClock.Instant] = [:]
    var reportedProblems: Set<String> = []
    let liveHosts = LiveHosts()
    let hostSections = HostSections()
    /// When the probed clouds (docker) were last asked whether they can run here.
    var lastProbe: ContinuousClock.Instant?
    /// Why each probed cloud is not offered, as last logged.
    var probeRefusals: [String: String] = [:]
    let clouds: [String: any CloudDriver]
    var frontDoor: FrontDoor
    /// Fires when the manager's configuration node changes (or appears).
    var configurationWatch: Watch?
    var configuration: ManagerConfig?
    /// Set when the configuration asks for other ring keys or drivers than this loop registered.
    var registrationChange: ManagerIdentity?
    /// The manager's `[loadbalancer:<driver>]` sections the front door's drivers were made with.
    var balancerSections: [String: [String: String]] = [:]
    /// Where the balancers keep their files.
    let stateDirectory: String

    init(service: ManagerService, identity: ManagerIdentity) {
        self.service = service
        self.identity = identity
        self.ownership = EndpointOwnership(
            store: service.store, managerID: identity.id, audit: service.settings.fenceAudit)
        self.interval = service.settings.interval ?? service.settings.defaultInterval
        let liveHosts = self.liveHosts
        let hostSections = self.hostSections
        clouds = service.settings.drivers.makeClouds(
            identity.clouds,
            context: CloudContext(
                client: service.client, host: service.identity.name, apiURL: service.settings.apiURL,
                logger: service.settings.logger, liveHosts: { liveHosts.names }),
            sections: { hostSections.clouds })
        let installation = String(HashRing.position(of: service.client.configuration.connectString), radix: 16)
        let stateDirectory =
            service.settings.stateDirectory
            ?? NSTemporaryDirectory() + "reactor-manager/\(identity.name)-\(installation)"
        self.stateDirectory = stateDirectory
        let log = ManagerLog(store: service.store, name: identity.name, logger: service.settings.logger)
        frontDoor = FrontDoor(
            store: service.store, managerID: identity.id,
            drivers: service.settings.drivers.makeLoadBalancers(
                identity.loadBalancers, stateDirectory: stateDirectory,
                dns: (service.settings.dnsListen, service.settings.dnsPort), logger: log.logger),
            log: log)
    }

    // MARK: One pass

    mutating func pass() async throws {
        let progress = service.progress
        defer { progress.enter(nil) }
        progress.enter("reading the manager's configuration")
        try await readConfiguration()
        if registrationChange != nil { return }
        progress.enter("registering")
        try await ensureRegistered()
        progress.enter("reading the members")
        try await membership.refresh(store)
        liveHosts.names = membership.hostNames
        progress.enter("confirming registrations")
        try await processRegistrations()
        // Newly confirmed instances get traffic now, not after the rest of the pass.
        progress.enter("configuring the balancers")
        try await frontDoor.refresh(endpoints)
        progress.enter("cloud housekeeping")
        try await cloudHousekeeping()
        progress.enter("reading the endpoints")
        let ids = try await endpoints.refresh(store)
        try await deleteInstancesOfDeletedEndpoints(known: Set(ids))
        try await removeUnnamedEndpoints()
        progress.enter("configuring the balancers")
        try await frontDoor.refresh(endpoints)
        progress.enter("publishing the balancers' reports")
        try await frontDoor.publish(endpoints)
        for id in claims.keys where endpoints.entries[id] == nil { forget(id) }
        progress.enter("claiming endpoints")
        try await moveClaims(ids)
        progress.enter("working on the owned endpoints")
        try await workOnOwnedEndpoints()
    }

    /// Runs every owned endpoint's work, several at once (each is a chain of ZooKeeper round
    /// trips, so a pass over thousands of endpoints is bound by latency, not by CPU).
    mutating func workOnOwnedEndpoints() async throws {
        let now = ContinuousClock.now
        let reports = claims.isEmpty ? FrontDoorReports() : await FrontDoorReports.read(store, logger: logger)
        var works: [EndpointWork] = []
        for claim in claims.values.sorted(by: { $0.endpointID < $1.endpointID }) {
            let id = claim.endpointID
            let elapsed = lastWorked[id].map { now - $0 } ?? interval
            lastWorked[id] = now
            works.append(
                EndpointWork(
                    store: store, ownership: ownership, claim: claim, entry: endpoints.entries[id],
                    name: endpoints.names[id] ?? id, nameToID: endpoints.ids, clouds: clouds,
                    previousMetrics: publishedMetrics[id], previousActive: publishedActive[id],
                    previousDecision: recordedDecisions[id],
                    elapsed: Self.seconds(elapsed), reports: reports,
                    log: managerLog, launchesHeld: (launchBackoff[id]?.until).map { $0 > now } ?? false,
                    backendsWereUnconfirmed: conditions[id]?.current[.backendUnconfirmed] != nil,
                    staticHosts: frontDoor.resolver))
        }
        let outcomes = await runServingRegistrations(works)
        for finished in outcomes {
            let id = finished.id
            switch finished.result {
            case .success(let result):
                if result.failures > 0 {
                    await holdLaunches(id, after: result.failures, cause: .instancesFailing, reason: "instances failed")
                }
                if let failure = result.launchFailure {
                    await holdLaunches(id, after: 1, cause: .launchFailing, reason: failure)
                }
                await updateConditions(id, result)
                publishedMetrics[id] = result.published
                publishedActive[id] = result.activeBackends
                if let decision = result.decision, decision != recordedDecisions[id] {
                    ManagerMetrics.current?.decision(
                        endpoint: endpoints.names[id] ?? id, direction: Self.direction(decision))
                }
                recordedDecisions[id] = result.decision
                for problem in result.problems { await report(id, problem) }
            case .failure(let lost as OwnershipLost):
                forget(id)
                await log(.warning, "fenced: \(lost); no action taken")
            case .failure(let error as ZooKeeperError) where error.code == .noNode:
                continue  // the endpoint was deleted during the pass
            case .failure(let error as ZooKeeperError):
                ManagerMetrics.current?.zooKeeperError("\(error.code)")
                await log(.warning, "endpoint \(endpoints.names[id] ?? id): \(error)", endpoint: id)
            case .failure(let error as CloudError):
                // What the cloud cannot do (no docker host with free slots, an address pool used
                // up) stays true for many passes: said once, not every pass.
                await report(id, "cannot launch an instance: \(error)")
            case .failure(let error):
                await log(.warning, "endpoint \(endpoints.names[id] ?? id): \(error)", endpoint: id)
            }
        }
    }

    /// Failed instances in a row hold an endpoint's launches back for one interval, then two,
    /// four … (at most 5 minutes), so a command that exits at once is not restarted every pass;
    /// the count starts again after 5 minutes without a failure.
    mutating func holdLaunches(
        _ id: String, after failures: Int, cause: EndpointCondition.Kind, reason: String
    ) async {
        let now = ContinuousClock.now
        var backoff = launchBackoff[id] ?? LaunchBackoff(failures: 0, lastFailure: now, until: now)
        if now - backoff.lastFailure > .seconds(300) { backoff.failures = 0 }
        backoff.failures += failures
        backoff.lastFailure = now
        let firstOfItsKind = backoff.cause != cause || backoff.reason != reason || backoff.failures == failures
        backoff.cause = cause
        backoff.reason = reason
        let hold = min(Self.seconds(interval) * pow(2, Double(min(backoff.failures, 20) - 1)), 300)
        backoff.until = now + .milliseconds(Int(hold * 1000))
        launchBackoff[id] = backoff
        let held = String(format: "%.1f", hold)
        switch cause {
        case .launchFailing where firstOfItsKind:
            await log(.error, "cannot launch an instance: \(reason); no launch for \(held) s", endpoint: id)
        case .launchFailing:
            // The same failure again: the condition's last_seen says so; the log is not flooded.
            logger.debug("launch of \(label(id)) failed again (\(backoff.failures) in a row): \(reason)")
        default:
            await log(
                .warning, "\(backoff.failures) instance failure(s) in a row: no launch for \(held) s", endpoint: id)
        }
    }

    /// Whether a recorded decision's target is above, below or at the instances it counted.
    static func direction(_ decision: JSONValue) -> String {
        let target = decision.objectValue?["target"]?.numberValue ?? 0
        let instances = decision.objectValue?["instances"]?.numberValue ?? 0
        return target > instances ? "up" : target < instances ? "down" : "hold"
    }

    /// An endpoint as the logs name it: `web (uuid)`, or the uuid alone when its name is not known.
    func label(_ id: String) -> String {
        endpoints.names[id].map { "\($0) (\(id))" } ?? id
    }

    /// Logs a problem once per endpoint (until it is resolved by a restart), not every pass.
    mutating func report(_ id: String, _ message: String) async {
        guard reportedProblems.insert("\(id):\(message)").inserted else { return }
        await log(.warning, message, endpoint: id)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    func log(_ severity: LogEntry.Severity, _ message: String, endpoint: String? = nil) async {
        await managerLog(severity, message, endpoint: endpoint)
    }

    var managerLog: ManagerLog { ManagerLog(store: store, name: identity.name, logger: logger) }
}
