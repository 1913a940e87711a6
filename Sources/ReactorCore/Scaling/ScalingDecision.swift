/// The pure scaling computation of DESIGN.md §4: from rules, metrics and the current count to a
/// target instance count, with a record of how each rule took part.
///
/// Rules are intersected in order, starting from "any count". A rule whose metric is missing (or not a
/// finite, non-negative number) is skipped; a rule whose range does not overlap the range built so far
/// is ignored (earlier rules win). The result is clamped to `[min_instances, max_instances]`. When the
/// current count lies inside the final range it is kept; otherwise the target is the midpoint of the
/// range, `(lower + upper) / 2` rounded down.
public struct ScalingDecision: Sendable, Hashable {
    /// The allowed counts after all rules and the min/max clamp.
    public var range: ClosedRange<Int>
    /// The range the rules alone produced, before clamping.
    public var ruleRange: InstanceRange
    /// The instance count before the decision.
    public var current: Int
    /// The instance count to move towards.
    public var target: Int
    /// One outcome per rule, in rule order.
    public var outcomes: [RuleOutcome]
    /// One line for the endpoint log naming what drove the change (or why nothing changed).
    public var explanation: String

    /// Whether the target differs from the current count.
    public var isChange: Bool { target != current }
    /// Rules that narrowed the range.
    public var appliedRules: [ScalingRule] { outcomes.filter { $0.status.isApplied }.map(\.rule) }
    /// Rules that conflicted with earlier ones.
    public var ignoredRules: [ScalingRule] { outcomes.filter { $0.status.isIgnored }.map(\.rule) }
    /// Rules that could not be evaluated.
    public var skippedRules: [ScalingRule] { outcomes.filter { $0.status.isSkipped }.map(\.rule) }

    /// Decides the target instance count.
    ///
    /// - Parameters:
    ///   - rules: the endpoint's rules, strongest first.
    ///   - metrics: per-instance averages `{metric: a}`.
    ///   - reportingInstances: `n`, how many instances the averages come from; the load is `a*n`.
    ///   - reportingByMetric: per-metric overrides of `n` (e.g. ``WeightedMetrics/reporters``);
    ///     metrics not listed use `reportingInstances`. Defaults to none.
    ///   - current: the current instance count.
    ///   - minInstances: `[scaling] min_instances`.
    ///   - maxInstances: `[scaling] max_instances`; raised to `minInstances` when smaller.
    public static func evaluate(
        rules: ScalingRules,
        metrics: [String: Double],
        reportingInstances: Int,
        reportingByMetric: [String: Int] = [:],
        current: Int,
        minInstances: Int,
        maxInstances: Int
    ) -> ScalingDecision {
        var range = InstanceRange.all
        var outcomes: [RuleOutcome] = []
        for rule in rules.rules {
            let outcome = evaluate(
                rule, metrics: metrics, reporting: reportingByMetric[rule.metric] ?? reportingInstances,
                within: range)
            if case .applied(let wanted) = outcome.status, let narrowed = range.intersection(wanted) {
                range = narrowed
            }
            outcomes.append(outcome)
        }
        let clamped = range.clamped(minimum: minInstances, maximum: maxInstances)
        let target = clamped.contains(current) ? current : (clamped.lowerBound + clamped.upperBound) / 2
        var decision = ScalingDecision(
            range: clamped, ruleRange: range, current: current, target: target, outcomes: outcomes,
            explanation: "")
        decision.explanation = ScalingExplanation(decision, minInstances: minInstances).text
        return decision
    }

    private static func evaluate(
        _ rule: ScalingRule, metrics: [String: Double], reporting: Int, within range: InstanceRange
    ) -> RuleOutcome {
        let wanted: InstanceRange
        var load: Double?
        if rule.isInstanceCountRule {
            wanted = RuleEvaluation.range(forInstancesRule: rule)
        } else {
            guard let average = metrics[rule.metric] else {
                return RuleOutcome(rule: rule, status: .skipped(reason: "no '\(rule.metric)' metric reported"))
            }
            guard average.isFinite, average >= 0 else {
                return RuleOutcome(
                    rule: rule, status: .skipped(reason: "'\(rule.metric)' is \(average), not a usable load"))
            }
            let total = average * Double(max(0, reporting))
            load = total
            wanted = RuleEvaluation.range(for: rule, load: total)
        }
        guard range.intersection(wanted) != nil else {
            return RuleOutcome(rule: rule, load: load, status: .ignored(wanted: wanted, conflictsWith: range))
        }
        return RuleOutcome(rule: rule, load: load, status: .applied(wanted: wanted))
    }
}

extension RuleOutcome.Status {
    var isApplied: Bool { if case .applied = self { true } else { false } }
    var isIgnored: Bool { if case .ignored = self { true } else { false } }
    var isSkipped: Bool { if case .skipped = self { true } else { false } }
}
