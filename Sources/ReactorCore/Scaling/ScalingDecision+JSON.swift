/// The JSON form of a decision, as `POST /v1.1/scaling/evaluate` answers it and the decision
/// record (``DecisionRecord``) stores it.
extension ScalingDecision {
    /// `{"target", "range", "steps", "actions", "state", "current", "rules_range", "clamp",
    /// "disagrees", "min_instances", "max_instances", "explanation"}`.
    ///
    /// - Parameter rampLimit: `[scaling] ramp_limit`, for ``actions(rampLimit:)``.
    public func jsonValue(rampLimit: Int) -> JSONValue {
        [
            "state": .string(state.rawValue),
            "current": .number(Double(current)),
            "target": .number(Double(target)),
            "range": [.number(Double(range.lowerBound)), .number(Double(range.upperBound))],
            "rules_range": ruleRange.map { Self.json(RuleRange(lower: $0.lower, upper: $0.upper)) } ?? .null,
            "clamp": .string(clamp.rawValue),
            "disagrees": .bool(disagrees),
            "min_instances": .number(Double(minInstances)),
            "max_instances": .number(Double(maxInstances)),
            "steps": .array(steps.map(\.jsonValue)),
            "actions": .number(Double(actions(rampLimit: rampLimit))),
            "explanation": .string(explanation),
        ]
    }

    /// `[lower, upper]`, `null` for no upper end.
    static func json(_ range: RuleRange) -> JSONValue {
        [.number(Double(range.lower)), range.upper.map { .number(Double($0)) } ?? .null]
    }
}

extension ScalingStep {
    /// `{"rule", "range", "outcome", "why", "after"}` and, for metric rules, `"metric"`, `"average"`,
    /// `"reporting"`, `"load"`.
    public var jsonValue: JSONValue {
        var members: [String: JSONValue] = [
            "rule": .string(rule.description),
            "range": ScalingDecision.json(wanted),
            "outcome": .string(outcomeName),
            "why": .string(why),
            "after": ScalingDecision.json(RuleRange(lower: after.lower, upper: after.upper)),
        ]
        if !rule.isInstanceCountRule {
            members["metric"] = .string(rule.metric)
            members["average"] = .number(average ?? 0)
            members["reporting"] = .number(Double(reporting ?? 0))
            members["load"] = .number(load ?? 0)
        }
        return .object(members)
    }
}
