/// The instance-count range a single rule asks for, as described in docs/design.md#scaling.
///
/// For a metric with average `a` over `n` reporting instances, the total load is `T = a*n` and the
/// rule bounds the per-instance load `T/k`:
/// - an upper bound `U` needs `k >= ceil(T/U)`, one more when the bound is strict and `T/U` is whole;
/// - a lower bound `L` allows `k <= ceil(T/L)`, one fewer when the bound is strict and `T/L` is whole.
///
/// Edge cases, chosen so that clamping to `[min_instances, max_instances]` gives the sensible answer:
/// - zero load with an upper bound needs `k >= 0` whether or not the bound is strict;
/// - zero load with a lower bound `L > 0` allows `k <= 0` (strict or not): the endpoint shrinks to
///   `min_instances`;
/// - a lower bound of `0` never limits the count (every load satisfies it).
///
/// The two ends may cross (`10 < rate < 10.5` at a total of 20 gives `2…1`): the rule then
/// disagrees with itself and the decision keeps the current count.
///
/// "Whole" tolerates floating-point noise of one part in 10⁹, so `0.1 * 3 / 0.1` counts as exactly 3.
enum RuleEvaluation {
    static func range(for rule: ScalingRule, load: Double) -> RuleRange {
        var lower = 0
        if let bound = rule.upper, load > 0 {
            let quotient = load / bound.value
            lower =
                wholeValue(quotient).map { bound.isStrict ? $0 + 1 : $0 }
                ?? Int(saturating: quotient.rounded(.up))
        }
        var upper: Int?
        if let bound = rule.lower, bound.value > 0 {
            let quotient = load / bound.value
            upper =
                wholeValue(quotient).map { bound.isStrict ? $0 - 1 : $0 }
                ?? Int(saturating: quotient.rounded(.up))
        }
        // `RuleRange` raises a negative upper end (zero load, strict lower bound) to 0.
        return RuleRange(lower: lower, upper: upper)
    }

    static func range(forInstancesRule rule: ScalingRule) -> RuleRange {
        let bounds = InstanceCountBounds(rule)
        return RuleRange(lower: bounds.lower, upper: bounds.upper)
    }

    /// The integer `value` is within rounding noise of, if any.
    static func wholeValue(_ value: Double) -> Int? {
        let nearest = value.rounded()
        guard abs(value - nearest) <= 1e-9 * max(1, abs(value)) else { return nil }
        return Int(saturating: nearest)
    }
}
