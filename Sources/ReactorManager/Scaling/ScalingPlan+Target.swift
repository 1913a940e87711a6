import ReactorCore

/// The last steps of a pass: the target count from the scaling rules and what holds it back,
/// then the recommissions, launches or decommissions that move towards it.
extension ScalingPlan.Steps {
    /// The decision of a pass: the count moved towards and the record (with the actions taken).
    struct Decision {
        var target: Int
        var record: DecisionRecord
    }

    /// Decides the endpoint's target (docs/design.md#scaling), logs the change (under `dry_run` its lines
    /// go to ``ScalingPlan/dryRunLog`` instead) and makes the decision record.
    ///
    /// - Parameters:
    ///   - current: the active instance count.
    ///   - recommissionable: decommissioned instances that may come back before any launch.
    mutating func decide(current: Int, recommissionable: Int) -> Decision {
        let state = snapshot.state
        let metrics = snapshot.metrics
        let pending = snapshot.pending
        let launchesHeld = self.launchesHeld
        let scaling = config.scaling
        let reportingInstances = max(current, 1)
        let decision = ScalingDecision.evaluate(
            rules: scaling.rules, metrics: metrics.averages, reportingInstances: reportingInstances,
            reportingByMetric: metrics.reporters, current: current, minInstances: scaling.minInstances,
            maxInstances: scaling.maxInstances, state: state)
        var target = decision.target
        var notes: [String] = []
        var lines: [String] = []
        switch state {
        case .paused:
            break
        case .stopped:
            if current > 0 { lines.append("endpoint is STOPPED: target 0 (was \(current))") }
        case .running:
            // While launches are held back, the same "target 0 → 1" would be logged every pass.
            let heldLaunch = launchesHeld && target > current && recommissionable == 0
            if decision.isChange && !(pending > 0 && target == 0) && !heldLaunch { lines.append(decision.explanation) }
            if pending > 0 && target == 0 && scaling.maxInstances > 0 {
                target = 1
                let note = "target 0 → 1: \(pending) connection(s) waiting at the balancer (scale from zero)"
                notes.append(note)
                if current == 0 { lines.append(note) }
            }
        }
        let limit = Self.rampLimit(config, state)
        let needed = state == .paused ? 0 : abs(target - current)
        var count = min(needed, limit)
        var holds: [(DecisionRecord.Hold, String)] = []
        if state == .paused {
            holds.append((.paused, "the endpoint is PAUSED: nothing is launched or decommissioned"))
        }
        if needed > limit {
            holds.append((.rampLimit, "\(needed) action(s) needed; ramp_limit \(limit) allows that many per pass"))
        }
        if launchesHeld && target > current {
            let launches = max(0, count - recommissionable)
            if launches > 0 {
                holds.append(
                    (.launchBackoff, "instances kept failing: \(launches) launch(es) held back for now"))
                count -= launches
            }
        }
        if scaling.dryRun {
            dryRunLog = lines.map { "dry run: \($0)" }
            if count > 0 {
                holds.append((.dryRun, "dry_run is set: \(count) action(s) not taken"))
                let verb = target > current ? "launch" : "decommission"
                dryRunLog.append(
                    "dry run: would \(verb) \(count) instance(s) (target \(target), \(current) now); nothing done")
            }
        } else {
            for line in lines { log(.info, line) }
        }
        var reporting: [String: Int] = [:]
        for name in metrics.averages.keys { reporting[name] = metrics.reporters[name] ?? reportingInstances }
        let record = DecisionRecord(
            time: snapshot.now, decision: decision, metrics: metrics.averages, reporting: reporting,
            rampLimit: scaling.rampLimit, target: target, actions: count, holds: holds, notes: notes)
        return Decision(target: target, record: record)
    }

    /// No launch this pass: launches were held back already, or an instance failed in this very
    /// pass (its backoff starts now, not after a replacement was launched).
    var launchesHeld: Bool { snapshot.launchesHeld || failures > 0 }

    /// Actions allowed per pass: `ramp_limit` (at least 1), no limit when stopped.
    static func rampLimit(_ config: EndpointConfig, _ state: EndpointState) -> Int {
        state == .stopped ? Int.max : max(1, config.scaling.rampLimit)
    }

    /// Decides, then (unless `dry_run`) recommissions running decommissioned instances and
    /// launches the rest (unless launches are held), or decommissions the instances
    /// ``scaleInOrder(_:)`` puts first; at most the ramp limit either way.
    /// - Returns: the decision record.
    mutating func moveTowardsTarget() -> DecisionRecord {
        let current = active.count
        let decision = decide(current: current, recommissionable: decommissioned.count)
        guard !config.scaling.dryRun else { return decision.record }
        let target = decision.target
        let limit = Self.rampLimit(config, snapshot.state)
        if target > current {
            var needed = min(target - current, limit)
            for instance in decommissioned.sorted() where needed > 0 {
                guard let cloudInstance = snapshot.cloudInstances[instance], cloudInstance.status == .running else {
                    continue
                }
                actions.append(.recommission(instance, name: cloudInstance.name))
                dropMarks(instance)
                for ip in cloudInstance.ips {
                    actions.append(.confirmIP(ip, instance: instance, name: cloudInstance.name))
                }
                needed -= 1
                log(.info, "recommissioned instance \(cloudInstance.name) (target \(target))")
            }
            if !launchesHeld {
                for _ in 0..<needed { actions.append(.launch(target: target)) }
            }
        } else if target < current {
            let candidates = active.sorted()
            if snapshot.loads == nil {
                loadsWanted = candidates.flatMap { snapshot.cloudInstances[$0]?.ips ?? [] }
            }
            for instance in scaleInOrder(candidates).prefix(min(current - target, limit)) {
                let cloudInstance = snapshot.cloudInstances[instance]
                actions.append(.retire(instance, ips: cloudInstance?.ips, to: .decommissioned))
                log(.info, "decommissioned instance \(cloudInstance?.name ?? instance) (target \(target))")
            }
        }
        return decision.record
    }

    /// Scale-in preference: instances that never registered, then the idlest (fewest `active`
    /// connections reported for their IPs), then by id.
    func scaleInOrder(_ instances: [String]) -> [String] {
        let scored = instances.map { instance in
            let ips = snapshot.cloudInstances[instance]?.ips ?? []
            let registered = ips.contains(where: snapshot.confirmedIPs.contains) ? 1 : 0
            let load = ips.reduce(0.0) { $0 + (snapshot.loads?[$1] ?? 0) }
            return (instance, registered, load)
        }
        return scored.sorted { ($0.1, $0.2, $0.0) < ($1.1, $1.2, $1.0) }.map(\.0)
    }
}
