/// Builds ``ScalingDecision/explanation``: the rule (or limit) that drove a change, followed by
/// notes on ignored and skipped rules.
///
/// Examples:
/// - `target 2 → 7: rule '10 <= active <= 30' wants 4…10 instances (active total 100.0)`
/// - `target 0 → 1: min_instances is 1`
/// - `target 3 (unchanged): within 2…10`
struct ScalingExplanation {
    let text: String

    init(_ decision: ScalingDecision, minInstances: Int) {
        var text: String
        if decision.isChange {
            text = "target \(decision.current) → \(decision.target): " + Self.driver(of: decision, minInstances)
        } else {
            text =
                "target \(decision.current) (unchanged): within "
                + "\(decision.range.lowerBound)…\(decision.range.upperBound)"
        }
        for outcome in decision.outcomes where !outcome.status.isApplied {
            text += "; " + outcome.description
        }
        self.text = text
    }

    /// The first applied rule that excludes the current count; otherwise the clamp that did.
    private static func driver(of decision: ScalingDecision, _ minInstances: Int) -> String {
        let current = decision.current
        for outcome in decision.outcomes {
            if case .applied(let wanted) = outcome.status, !wanted.contains(current) {
                return outcome.description
            }
        }
        if current < decision.range.lowerBound {
            return "min_instances is \(minInstances)"
        }
        return "max_instances is \(decision.range.upperBound)"
    }
}
