/// The pure scaling computation of docs/design.md#scaling: from the state, rules, metrics and the current
/// count to a target instance count, with a record of how each rule took part. The API's
/// `POST /v1.1/scaling/evaluate`, the managers and `reactor scaling replay` all decide through
/// ``evaluate(rules:metrics:reportingInstances:reportingByMetric:current:minInstances:maxInstances:state:)``.
///
/// RUNNING: each rule asks for a range of counts (a metric no instance reported counts as 0); the
/// ranges are intersected in order, and a rule whose range lies wholly past the range so far
/// collapses it to the near edge. No rules → `[min_instances, min_instances]`. The range is then
/// intersected with `[min_instances, max_instances]` (→ `max_instances` when the rules want more,
/// `min_instances` when they want fewer). When a rule's own range is empty (the rules disagree) or
/// the current count lies inside the range, the count is kept; otherwise the target is the
/// midpoint of the range, rounded down. STOPPED → 0; PAUSED → nothing.
public struct ScalingDecision: Sendable, Hashable {
    /// The endpoint state the decision was made in.
    public var state: EndpointState
    /// One step per rule, in rule order; empty unless RUNNING.
    public var steps: [ScalingStep]
    /// The range the rules alone produced; `nil` without rules (or unless RUNNING).
    public var ruleRange: InstanceRange?
    /// What the min/max limits did to the rules' range.
    public var clamp: ScalingClamp
    /// The allowed counts after the rules and the limits.
    public var range: ClosedRange<Int>
    /// Whether some rule's range was empty, so the count is kept whatever the range says.
    public var disagrees: Bool
    /// `min_instances` as applied (at least 0).
    public var minInstances: Int
    /// `max_instances` as applied (at least `minInstances`).
    public var maxInstances: Int
    /// The instance count before the decision.
    public var current: Int
    /// The instance count to move towards.
    public var target: Int
    /// One line for the endpoint log naming what drove the change (or why nothing changed).
    public var explanation: String

    /// Whether the target differs from the current count.
    public var isChange: Bool { target != current }

    /// How many launches or decommissions this pass takes towards the target: at most
    /// `rampLimit` (at least 1) while RUNNING, all of them when STOPPED, none when PAUSED.
    public func actions(rampLimit: Int) -> Int {
        let distance = abs(target - current)
        switch state {
        case .running: return min(distance, max(1, rampLimit))
        case .stopped: return distance
        case .paused: return 0
        }
    }

    /// Decides the target instance count.
    ///
    /// - Parameters:
    ///   - rules: the endpoint's rules, in the order written.
    ///   - metrics: per-instance averages `{metric: a}`; a metric missing here counts as 0, as does
    ///     a value that is not a finite, non-negative number.
    ///   - reportingInstances: `n`, how many instances the averages come from; the load is `a*n`.
    ///   - reportingByMetric: per-metric overrides of `n` (e.g. ``WeightedMetrics/reporters``);
    ///     metrics not listed use `reportingInstances`. Defaults to none.
    ///   - current: the current instance count.
    ///   - minInstances: `[scaling] min_instances`; negative values count as 0.
    ///   - maxInstances: `[scaling] max_instances`; raised to `minInstances` when smaller.
    ///   - state: the endpoint's state; default RUNNING.
    public static func evaluate(
        rules: ScalingRules,
        metrics: [String: Double],
        reportingInstances: Int,
        reportingByMetric: [String: Int] = [:],
        current: Int,
        minInstances: Int,
        maxInstances: Int,
        state: EndpointState = .running
    ) -> ScalingDecision {
        let minimum = max(0, minInstances)
        let maximum = max(minimum, maxInstances)
        let current = max(0, current)
        var decision = ScalingDecision(
            state: state, steps: [], ruleRange: nil, clamp: .none, range: current...current, disagrees: false,
            minInstances: minimum, maxInstances: maximum, current: current, target: current, explanation: "")
        switch state {
        case .paused:
            break
        case .stopped:
            decision.range = 0...0
            decision.target = 0
        case .running:
            var range = InstanceRange.all
            for rule in rules.rules {
                let reporting = max(0, reportingByMetric[rule.metric] ?? reportingInstances)
                let step = Self.step(rule, metrics: metrics, reporting: reporting, within: range)
                range = step.after
                decision.steps.append(step)
            }
            decision.disagrees = decision.steps.contains { $0.outcome == .disagrees }
            decision.ruleRange = rules.isEmpty ? nil : range
            let rulesWant = rules.isEmpty ? InstanceRange(lower: minimum, upper: minimum) : range
            (decision.range, decision.clamp) = ScalingClamp.apply(rulesWant, minimum: minimum, maximum: maximum)
            if !decision.disagrees && !decision.range.contains(current) {
                decision.target = (decision.range.lowerBound + decision.range.upperBound) / 2
            }
        }
        decision.explanation = ScalingExplanation(decision).text
        return decision
    }

    /// Evaluates one rule against the range built so far.
    static func step(
        _ rule: ScalingRule, metrics: [String: Double], reporting: Int, within range: InstanceRange
    ) -> ScalingStep {
        var average: Double?
        var load: Double?
        var zeroReason: String?
        let wanted: RuleRange
        if rule.isInstanceCountRule {
            wanted = RuleEvaluation.range(forInstancesRule: rule)
        } else {
            var value = 0.0
            if let reported = metrics[rule.metric] {
                if reported.isFinite && reported >= 0 {
                    value = reported
                } else {
                    zeroReason = "'\(rule.metric)' is \(reported), not a usable value"
                }
            } else {
                zeroReason = "no instance reported '\(rule.metric)'"
            }
            average = value
            // A huge average times many reporters may overflow: the largest finite load wants as
            // many instances as any (and keeps the decision's JSON free of infinities).
            let total = min(value * Double(reporting), .greatestFiniteMagnitude)
            load = total
            wanted = RuleEvaluation.range(for: rule, load: total)
        }
        var step = ScalingStep(
            rule: rule, average: average, reporting: rule.isInstanceCountRule ? nil : reporting, load: load,
            zeroMetric: zeroReason != nil, wanted: wanted, outcome: .applied, before: range, after: range,
            zeroReason: zeroReason)
        guard let asked = wanted.instanceRange else {
            step.outcome = .disagrees
            return step
        }
        if let overlap = range.intersection(asked) {
            step.after = overlap
        } else if let upper = range.upper, asked.lower > upper {
            step.outcome = .collapsed
            step.after = InstanceRange(lower: upper, upper: upper)
        } else {
            step.outcome = .collapsed
            step.after = InstanceRange(lower: range.lower, upper: range.lower)
        }
        return step
    }
}
