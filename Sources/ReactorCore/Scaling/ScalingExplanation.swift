/// Builds ``ScalingDecision/explanation``: what drove a change (or why nothing changed), followed by
/// notes on rules whose metric counted as 0 and on collapsed ranges.
///
/// Examples:
/// - `target 2 → 7: rule '10 <= active <= 30' wants 4…10 instances (active total 100)`
/// - `target 3 → 4: rule 'load <= 5' wants 12…∞ instances (load total 60), more than 2…4 allows: collapsed to 4…4`
/// - `target 0 → 1: min_instances is 1`
/// - `target 3 (unchanged): within 2…10`
struct ScalingExplanation {
    let text: String

    init(_ decision: ScalingDecision) {
        switch decision.state {
        case .paused:
            text = "endpoint is PAUSED: no action (\(decision.current) instance(s) kept)"
            return
        case .stopped:
            text =
                decision.current == 0
                ? "endpoint is STOPPED: target 0" : "endpoint is STOPPED: target \(decision.current) → 0"
            return
        case .running:
            break
        }
        var text: String
        let range = "\(decision.range.lowerBound)…\(decision.range.upperBound)"
        if let disagreeing = decision.steps.first(where: { $0.outcome == .disagrees }) {
            text =
                "target \(decision.current) (unchanged): the rules disagree: \(disagreeing.wants), "
                + "which no count satisfies"
        } else if decision.isChange {
            text = "target \(decision.current) → \(decision.target): " + Self.driver(of: decision)
        } else {
            text = "target \(decision.current) (unchanged): within \(range)"
        }
        for step in decision.steps where step.zeroMetric {
            text += "; \(step.zeroReason ?? "'\(step.rule.metric)' missing"): counted as 0"
        }
        self.text = text
    }

    /// The first rule that excludes the current count (a collapse counts); otherwise the limit that did.
    private static func driver(of decision: ScalingDecision) -> String {
        let current = decision.current
        let range = "\(decision.range.lowerBound)…\(decision.range.upperBound)"
        let driving = decision.steps.first { step in
            switch step.outcome {
            case .collapsed: !step.after.contains(current)
            case .applied: step.wanted.instanceRange.map { !$0.contains(current) } ?? false
            case .disagrees: false
            }
        }
        guard let step = driving else {
            return decision.steps.isEmpty ? "no rules: min_instances is \(decision.minInstances)" : limits(decision)
        }
        var note = step.wants
        var shown = "\(step.wanted)"
        if step.outcome == .collapsed {
            let side = step.wanted.lower > (step.before.upper ?? Int.max) ? "more" : "fewer"
            note += ", \(side) than \(step.before) allows: collapsed to \(step.after)"
            shown = "\(step.after)"
        }
        switch decision.clamp {
        case .toMax, .toMin: note += "; " + limits(decision)
        default: if shown != range { note += "; range \(range)" }
        }
        return note
    }

    /// The limit that set the range.
    private static func limits(_ decision: ScalingDecision) -> String {
        switch decision.clamp {
        case .toMax: return "the rules want more than max_instances \(decision.maxInstances)"
        case .toMin: return "the rules want fewer than min_instances \(decision.minInstances)"
        default:
            return decision.current < decision.range.lowerBound
                ? "min_instances is \(decision.minInstances)" : "max_instances is \(decision.maxInstances)"
        }
    }
}
