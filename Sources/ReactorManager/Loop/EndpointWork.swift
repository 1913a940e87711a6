import Foundation
import ReactorCore
import ReactorStore
import ZooKeeper

/// The owner's work for one endpoint in one pass: publish its metrics, then scale it. A value
/// copied out of the loop, so that endpoints are worked on concurrently. Every write is fenced
/// by the claim.
struct EndpointWork: Sendable {
    let store: ReactorStore
    let ownership: EndpointOwnership
    let claim: OwnershipClaim
    let entry: EndpointDirectory.Entry?
    let name: String
    let nameToID: [String: String]
    let clouds: [String: any CloudDriver]
    let previousMetrics: JSONValue?
    let previousActive: [String]?
    /// The decision recorded last (``ReactorCore/DecisionRecord/comparable``), to write only changes.
    let previousDecision: JSONValue?
    /// Seconds of loop time since the endpoint's previous pass.
    let elapsed: Double
    /// What every manager's balancers reported this pass.
    let reports: FrontDoorReports
    let log: ManagerLog
    /// No launch this pass: instances kept failing (see ``ManagerLoop/holdLaunches(_:after:)``).
    var launchesHeld = false
    /// Whether the previous pass showed the endpoint's backends unconfirmed.
    var backendsWereUnconfirmed = false
    /// The addresses this host resolved for `static_instances` names.
    var staticHosts = StaticHostResolver()

    struct Outcome: Sendable {
        /// The metrics now published.
        var published: JSONValue?
        /// The backends with open connections now published (`live_active`).
        var activeBackends: [String]?
        /// Instances that failed and were deleted this pass.
        var failures = 0
        /// The decision now recorded (``ReactorCore/DecisionRecord/comparable``), if one was made.
        var decision: JSONValue?
        /// Problems to report once (bad configuration, a cloud this host cannot run).
        var problems: [String] = []
        /// The conditions the pass showed (kind → reason).
        var conditions: [EndpointCondition.Kind: String] = [:]
        /// Why a launch failed this pass, if one did.
        var launchFailure: String?
        /// Whether the pass wanted launches.
        var wantedLaunches = false
    }

    var id: String { claim.endpointID }

    func run() async throws -> Outcome {
        var outcome = Outcome()
        // `metrics_source` borrows another endpoint's metrics (a worker pool scaled on its
        // front end's load, for instance).
        var source = id
        let settings = entry?.configuration.objectValue?[EndpointConfig.section]?.objectValue
        if let sourceName = settings?["metrics_source"]?.stringValue, !sourceName.isEmpty {
            if let sourceID = nameToID[sourceName] {
                source = sourceID
            } else {
                outcome.problems.append(
                    "metrics_source '\(sourceName)' names no endpoint; using the endpoint's own metrics")
            }
        }
        let sourceIPs = Set(try await store.confirmedIPs(id: source))
        var posted = try await store.postedMetrics(id: source, ips: sourceIPs)
        // Balancer samples of the source's backends, combined over every front door.
        let index = BackendAddressIndex(sourceIPs)
        for (key, sample) in reports.samples {
            guard let ip = index.address(ofKey: key) else { continue }
            posted.add(sample, from: ip)
        }
        let metrics = JSONValue.object(posted.averages.mapValues(JSONValue.number))
        outcome.published = try await publish(metrics)
        let ownIPs = source == id ? sourceIPs : Set(try await store.confirmedIPs(id: id))
        outcome.activeBackends = try await publishActive(reports.activeBackends(of: ownIPs))
        // Only balancers that list sessions can have drop requests to clear.
        if let balancer = entry?.loadBalancer, FrontDoor.listsSessions.contains(balancer) { await clearDropRequests() }

        guard let entry else { return outcome }
        let config: EndpointConfig
        do {
            config = try EndpointConfig(json: entry.configuration)
        } catch {
            outcome.problems.append("configuration of \(name) is not valid (\(error)); not scaling it")
            outcome.conditions[.configurationInvalid] =
                "the stored configuration is not valid (\(error)); not scaling it"
            return outcome
        }
        await removeStaleSamples(
            keep: ownIPs.union(config.staticInstances.map(\.description)).union(staticHosts.known(config.staticHosts)))
        if let instancesSource = config.instancesSource, !instancesSource.isEmpty {
            // Its instances belong to (and are scaled by) the source endpoint.
            return outcome
        }
        guard let cloudKind = config.cloud else { return outcome }
        guard let cloud = clouds[cloudKind.rawValue] else {
            outcome.problems.append("this manager cannot run the \(cloudKind.rawValue) cloud of \(name)")
            outcome.conditions[.launchFailing] = "its owner cannot run the \(cloudKind.rawValue) cloud"
            return outcome
        }
        let endpoint = CloudEndpoint(
            id: id, name: name, settings: config.drivers.clouds[cloudKind.rawValue] ?? [:], port: config.port)
        let log = self.log
        let id = self.id
        let scaler = EndpointScaler(
            store: store, ownership: ownership, claim: claim, endpoint: endpoint, config: config,
            cloud: cloud, elapsed: elapsed, log: { severity, message in await log(severity, message, endpoint: id) })
        let pending = config.url.map { reports.pending[$0] ?? 0 } ?? 0
        if config.url != nil, config.loadBalancer != nil {
            // `pending`: what the front doors hold for the URL, an endpoint-wide metric rules can
            // name (`pending <= 0`: launch while anyone waits).
            posted.add(.object(["pending": .array([.number(1), .number(Double(pending))])]), from: nil)
        }
        let scaled = try await scaler.run(
            state: try await store.endpointState(id: id), metrics: posted, pending: pending,
            errors: reports.errors(of: ownIPs), launchesHeld: launchesHeld,
            backendsWereUnconfirmed: backendsWereUnconfirmed)
        outcome.failures = scaled.failures
        outcome.conditions.merge(scaled.conditions) { first, _ in first }
        outcome.launchFailure = scaled.launchFailure
        outcome.wantedLaunches = scaled.wantedLaunches
        outcome.decision = try await record(scaled)
        return outcome
    }

    /// How long samples of an IP that is neither confirmed nor static are kept: an instance
    /// that is registering may post before it is confirmed.
    static let staleSampleGrace = Duration.seconds(300)

    /// Removes the per-IP samples of addresses that are neither the endpoint's confirmed
    /// instances nor its static ones, once they are older than ``staleSampleGrace``.
    private func removeStaleSamples(keep: Set<String>) async {
        do {
            let removed = try await store.removeStaleIPMetrics(id: id, keep: keep, grace: Self.staleSampleGrace)
            if !removed.isEmpty {
                await log(
                    .info,
                    "removed the metrics of \(removed.count) address(es) that are no instance of it: "
                        + removed.prefix(5).joined(separator: ", ") + (removed.count > 5 ? ", …" : ""),
                    endpoint: id)
            }
        } catch {
            // Tried again on the next pass; the samples only count for confirmed IPs anyway.
            await log(.warning, "cannot remove stale per-IP metrics: \(error)", endpoint: id)
        }
    }

    /// Records the pass's decision when it differs from the last one recorded (a timestamp alone
    /// is no change, so a steady endpoint costs no write), with the dry run's log lines.
    private func record(_ scaled: EndpointScaler.Outcome) async throws -> JSONValue {
        let comparable = scaled.record.comparable
        guard comparable != previousDecision else { return comparable }
        let ownership = self.ownership
        let claim = self.claim
        try await store.recordDecision(scaled.record, id: id) { operations in
            try await ownership.fenced(claim, operations)
        }
        for line in scaled.dryRunLog { await log(.info, line, endpoint: id) }
        return comparable
    }

    /// Publishes the computed metrics (ephemeral `live_metrics`) when they changed.
    private func publish(_ metrics: JSONValue) async throws -> JSONValue {
        guard previousMetrics != metrics else { return metrics }
        try await store.publishLiveMetrics(metrics, id: id, through: fence)
        return metrics
    }

    /// Publishes the backends with open connections (ephemeral `live_active`, shown by
    /// `GET …/state`) when they changed.
    private func publishActive(_ backends: [String]) async throws -> [String] {
        guard previousActive != backends else { return backends }
        try await store.publishLiveActive(backends, id: id, through: fence)
        return backends
    }

    /// Applies `operations` fenced by this work's claim.
    private func fence(_ operations: [MultiOperation]) async throws {
        try await ownership.fenced(claim, operations)
    }

    /// Clears the session drops the front doors have carried out (the session is no longer
    /// listed in `sessions/active`), and those still listed after 30 s (no front door could cut
    /// them), so that a request never lingers. A failure leaves the requests for the next pass.
    private func clearDropRequests() async {
        do {
            let drops = try await store.sessionDropRequests(id: id)
            guard !drops.isEmpty else { return }
            let active = try await store.activeSessionClients(id: id)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            for clientAddress in drops {
                if active.contains(clientAddress) {
                    guard let created = try await store.sessionDropRequestTime(id: id, client: clientAddress),
                        now - created > 30_000
                    else { continue }
                    await log(
                        .warning, "no front door cut session \(clientAddress) within 30 s; request cleared",
                        endpoint: id)
                }
                try await store.clearSessionDrop(id: id, client: clientAddress)
            }
        } catch {
            await log(.warning, "cannot clear session drop requests: \(error)", endpoint: id)
        }
    }

    /// What one endpoint's work came to.
    struct Finished: Sendable {
        let id: String
        let result: Result<Outcome, any Error>
    }

    func finish() async -> Finished {
        do {
            return Finished(id: id, result: .success(try await run()))
        } catch {
            return Finished(id: id, result: .failure(error))
        }
    }

    /// Runs `works`, at most `concurrency` at a time; returns each endpoint's outcome.
    static func runAll(_ works: [EndpointWork], concurrency: Int) async -> [Finished] {
        await withTaskGroup(of: Finished.self, returning: [Finished].self) { group in
            var results: [Finished] = []
            results.reserveCapacity(works.count)
            var next = works.makeIterator()
            for _ in 0..<max(1, concurrency) {
                guard let work = next.next() else { break }
                group.addTask { await work.finish() }
            }
            while let finished = await group.next() {
                results.append(finished)
                if let work = next.next() {
                    group.addTask { await work.finish() }
                }
            }
            return results
        }
    }
}
