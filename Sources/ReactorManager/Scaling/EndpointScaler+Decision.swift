import Foundation
import ReactorCore

extension EndpointScaler {
    /// What a pass of ``EndpointScaler/run(state:metrics:pending:errors:launchesHeld:)`` came to.
    struct Outcome: Sendable {
        /// Instances that failed (cloud reports, error marks) and were deleted.
        var failures: Int
        /// The decision to record (written by the caller when it changed).
        var record: DecisionRecord
        /// Under `dry_run`: what would have been done, for the endpoint log when the record changed.
        var dryRunLog: [String]
    }

    /// The scaling part of a pass: the decision, the count moved towards and what holds it back.
    struct Pass {
        var target: Int
        var record: DecisionRecord
        var dryRunLog: [String]
    }

    /// Decides the endpoint's target (DESIGN.md §4) and logs the change (not under `dry_run`, whose
    /// lines are returned instead).
    ///
    /// - Parameters:
    ///   - current: the active instance count.
    ///   - pending: connections waiting at the balancer; with none running, one instance is wanted.
    ///   - launchesHeld: launches are held back (instances kept failing).
    ///   - recommissionable: decommissioned instances that may come back before any launch.
    func plan(
        state: EndpointState, metrics: WeightedMetrics, current: Int, pending: Int, launchesHeld: Bool,
        recommissionable: Int
    ) async -> Pass {
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
        let limit = state == .stopped ? Int.max : max(1, scaling.rampLimit)
        let needed = state == .paused ? 0 : abs(target - current)
        var actions = min(needed, limit)
        var holds: [(DecisionRecord.Hold, String)] = []
        if state == .paused {
            holds.append((.paused, "the endpoint is PAUSED: nothing is launched or decommissioned"))
        }
        if needed > limit {
            holds.append((.rampLimit, "\(needed) action(s) needed; ramp_limit \(limit) allows that many per pass"))
        }
        if launchesHeld && target > current {
            let launches = max(0, actions - recommissionable)
            if launches > 0 {
                holds.append(
                    (.launchBackoff, "instances kept failing: \(launches) launch(es) held back for now"))
                actions -= launches
            }
        }
        var dryRunLog: [String] = []
        if scaling.dryRun {
            dryRunLog = lines.map { "dry run: \($0)" }
            if actions > 0 {
                holds.append((.dryRun, "dry_run is set: \(actions) action(s) not taken"))
                let verb = target > current ? "launch" : "decommission"
                dryRunLog.append(
                    "dry run: would \(verb) \(actions) instance(s) (target \(target), \(current) now); nothing done")
            }
        } else {
            for line in lines { await log(.info, line) }
        }
        var reporting: [String: Int] = [:]
        for name in metrics.averages.keys { reporting[name] = metrics.reporters[name] ?? reportingInstances }
        let record = DecisionRecord(
            time: Date().timeIntervalSince1970, decision: decision, metrics: metrics.averages,
            reporting: reporting, rampLimit: scaling.rampLimit, target: target, actions: actions, holds: holds,
            notes: notes)
        return Pass(target: target, record: record, dryRunLog: dryRunLog)
    }
}
