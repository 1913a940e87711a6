/// What happened to one rule during a ``ScalingDecision``.
public struct RuleOutcome: Sendable, Hashable, CustomStringConvertible {
    /// How the rule took part.
    public enum Status: Sendable, Hashable {
        /// The rule narrowed (or confirmed) the range to `wanted`.
        case applied(wanted: InstanceRange)
        /// The rule wanted `wanted`, which does not overlap `conflictsWith` (the range built by the
        /// earlier rules), so it was ignored: earlier rules win.
        case ignored(wanted: InstanceRange, conflictsWith: InstanceRange)
        /// The rule could not be evaluated (its metric was not reported, or was not a usable number).
        case skipped(reason: String)
    }

    /// The rule.
    public var rule: ScalingRule
    /// For metric rules that were evaluated, the total load `a*n`.
    public var load: Double?
    /// How the rule took part.
    public var status: Status

    /// - Parameters:
    ///   - rule: the rule.
    ///   - load: the total load for metric rules; default none.
    ///   - status: how the rule took part.
    public init(rule: ScalingRule, load: Double? = nil, status: Status) {
        self.rule = rule
        self.load = load
        self.status = status
    }

    /// The range the rule asked for, unless it was skipped.
    public var wanted: InstanceRange? {
        switch status {
        case .applied(let wanted), .ignored(let wanted, _): wanted
        case .skipped: nil
        }
    }

    /// e.g. `rule '10 <= active <= 30' wants 4…10 instances (active total 100.0)`.
    public var description: String {
        switch status {
        case .applied(let wanted):
            return "rule '\(rule)' wants \(wanted) instances\(loadNote)"
        case .ignored(let wanted, let conflict):
            return "rule '\(rule)' ignored: wants \(wanted) instances\(loadNote), "
                + "which conflicts with \(conflict) from earlier rules"
        case .skipped(let reason):
            return "rule '\(rule)' skipped: \(reason)"
        }
    }

    private var loadNote: String {
        guard let load else { return "" }
        return " (\(rule.metric) total \(load))"
    }
}
