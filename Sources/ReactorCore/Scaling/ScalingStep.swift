/// How one rule took part in a ``ScalingDecision``: what it asked for and what that did to the
/// range built by the rules before it (docs/design.md#scaling).
public struct ScalingStep: Sendable, Hashable {
    /// How the rule's range combined with the range so far.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// The rule's range overlapped the range so far, which became the overlap.
        case applied
        /// The rule's range lay wholly past the range so far, which collapsed to its near edge.
        case collapsed
        /// No count satisfies the rule (its range is empty): the rules disagree, the count is kept.
        case disagrees
    }

    /// The rule.
    public var rule: ScalingRule
    /// For metric rules: the per-instance average used (0 when no instance reported the metric).
    public var average: Double?
    /// For metric rules: how many reporting instances the average is over.
    public var reporting: Int?
    /// For metric rules: the total load `average * reporting`.
    public var load: Double?
    /// For metric rules: the metric was not reported (or was not a usable number) and counted as 0.
    public var zeroMetric: Bool
    /// The counts the rule asks for.
    public var wanted: RuleRange
    /// How it combined with the range so far.
    public var outcome: Outcome
    /// The range so far before this rule.
    public var before: InstanceRange
    /// The range so far after this rule.
    public var after: InstanceRange
    /// What the rule was given when its metric was missing or unusable, e.g. `no instance reported 'rate'`.
    public var zeroReason: String?

    /// The outcome as the API spells it: `applied`, `collapsed`, `disagrees`, or `zero-metric` for a
    /// metric no instance reported (its effect is in ``why``).
    public var outcomeName: String { zeroMetric ? "zero-metric" : outcome.rawValue }

    /// e.g. `rule '10 <= active <= 30' wants 4…10 instances (active total 100)`.
    public var wants: String {
        let note = load.map { " (\(rule.metric) total \(NumberText.measured($0)))" } ?? ""
        return "rule '\(rule)' wants \(wanted) instances\(note)"
    }

    /// One sentence on what the rule asked for and did, e.g.
    /// `active total 100 (50 × 2 reporting) wants 4…10 instances: range 0…∞ → 4…10`.
    public var why: String {
        var text: String
        if rule.isInstanceCountRule {
            text = "bounds the count to \(wanted)"
        } else {
            let average = NumberText.measured(self.average ?? 0)
            let total = NumberText.measured(load ?? 0)
            text = "\(rule.metric) total \(total) (\(average) × \(reporting ?? 0) reporting) wants \(wanted) instances"
            if let zeroReason { text = "\(zeroReason), counted as 0: " + text }
        }
        switch outcome {
        case .applied:
            text += ": range \(before) → \(after)"
        case .collapsed:
            let side = wanted.lower > (before.upper ?? Int.max) ? "more" : "fewer"
            let edge = side == "more" ? "upper" : "lower"
            text += ", \(side) than the range so far \(before) allows: collapsed to its \(edge) edge \(after)"
        case .disagrees:
            text += ": no count satisfies it, so the rules disagree and the count is kept"
        }
        return text
    }
}
