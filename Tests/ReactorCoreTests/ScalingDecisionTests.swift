import ReactorCore
import Testing

@Suite("Scaling decision")
struct ScalingDecisionTests {
    @Test("the table has at least 40 hand-worked cases")
    func tableSize() {
        #expect(ScalingCase.table.count >= 40, "expected ≥ 40 cases, got \(ScalingCase.table.count)")
    }

    @Test("table", arguments: ScalingCase.table)
    func table(_ row: ScalingCase) throws {
        let decision = ScalingDecision.evaluate(
            rules: try ScalingRules.parse(row.rules), metrics: row.metrics, reportingInstances: row.reporting,
            current: row.current, minInstances: row.min, maxInstances: row.max, state: row.state)
        #expect(decision.range == row.range, "expected range \(row.range), got \(decision.range)")
        #expect(decision.target == row.target, "expected target \(row.target), got \(decision.target)")
        #expect(decision.isChange == (row.target != row.current), "expected isChange to follow the target")
        if let outcomes = row.outcomes {
            #expect(decision.steps.map(\.outcomeName) == outcomes, "expected outcomes \(outcomes)")
        }
    }

    @Test("the explanation names the rule that drove the change")
    func explanationNamesDrivingRule() throws {
        let decision = ScalingDecision.evaluate(
            rules: try ScalingRules.parse("10 <= active <= 30"), metrics: ["active": 50], reportingInstances: 2,
            current: 2, minInstances: 1, maxInstances: 20)
        let expected = "target 2 → 7: rule '10 <= active <= 30' wants 4…10 instances (active total 100)"
        #expect(decision.explanation == expected, "expected explanation: \(expected)")
    }

    /// `pending <= 0`: connections waiting at the front doors launch instances; none waiting
    /// asks for nothing.
    @Test("an upper bound of 0 scales out while the metric is above 0")
    func pendingRule() throws {
        let rules = try ScalingRules.parse("pending <= 0")
        let waiting = ScalingDecision.evaluate(
            rules: rules, metrics: ["pending": 2], reportingInstances: 1, current: 0, minInstances: 0, maxInstances: 3)
        #expect(waiting.target == 3, "anyone waiting asks for max_instances: \(waiting.explanation)")
        let idle = ScalingDecision.evaluate(
            rules: rules, metrics: ["pending": 0], reportingInstances: 1, current: 0, minInstances: 0, maxInstances: 3)
        #expect(idle.target == 0, "no one waiting asks for nothing: \(idle.explanation)")
    }

    @Test("numbers in explanations are rounded to two decimals")
    func explanationRoundsNumbers() throws {
        let decision = ScalingDecision.evaluate(
            rules: try ScalingRules.parse("2 <= active <= 8"), metrics: ["active": 10.0 / 9], reportingInstances: 3,
            current: 3, minInstances: 1, maxInstances: 5)
        #expect(decision.explanation.contains("(active total 3.33)"), "rounded total: \(decision.explanation)")
        #expect(
            decision.steps.first?.why.hasPrefix("active total 3.33 (1.11 × 3 reporting)") == true,
            "rounded why: \(decision.steps.first?.why ?? "")")
        #expect(NumberText.measured(3.333333333333333) == "3.33" && NumberText.measured(40) == "40")
    }

    @Test("the explanation names collapses, zero metrics, limits and disagreement")
    func explanationVariants() throws {
        let noRules = ScalingDecision.evaluate(
            rules: ScalingRules(), metrics: [:], reportingInstances: 0, current: 0, minInstances: 1, maxInstances: 3)
        #expect(
            noRules.explanation == "target 0 → 1: no rules: min_instances is 1",
            "expected no rules to name min_instances: \(noRules.explanation)")

        let collapsed = ScalingDecision.evaluate(
            rules: try ScalingRules.parse("instances <= 3, active <= 10, rate < 5"), metrics: ["active": 50],
            reportingInstances: 2, current: 2, minInstances: 1, maxInstances: 10)
        let expected =
            "target 2 → 3: rule 'active <= 10' wants 10…∞ instances (active total 100), more than 0…3 allows: "
            + "collapsed to 3…3; no instance reported 'rate': counted as 0"
        #expect(collapsed.explanation == expected, "expected explanation: \(expected), got \(collapsed.explanation)")

        let beyondMax = ScalingDecision.evaluate(
            rules: try ScalingRules.parse("active <= 10"), metrics: ["active": 50], reportingInstances: 2,
            current: 2, minInstances: 1, maxInstances: 5)
        #expect(
            beyondMax.explanation
                == "target 2 → 5: rule 'active <= 10' wants 10…∞ instances (active total 100); "
                + "the rules want more than max_instances 5", "got \(beyondMax.explanation)")

        let disagreeing = ScalingDecision.evaluate(
            rules: try ScalingRules.parse("10 < rate < 10.5"), metrics: ["rate": 10], reportingInstances: 2,
            current: 5, minInstances: 1, maxInstances: 10)
        #expect(
            disagreeing.explanation
                == "target 5 (unchanged): the rules disagree: rule '10 < rate < 10.5' wants 2…1 instances "
                + "(rate total 20), which no count satisfies", "got \(disagreeing.explanation)")
        #expect(disagreeing.disagrees, "expected the decision to say the rules disagree")
    }

    @Test("steps record each rule's range, outcome, inputs and the range before and after")
    func steps() throws {
        let rules = try ScalingRules.parse("2 <= instances <= 4, load <= 5, rate < 5")
        let decision = ScalingDecision.evaluate(
            rules: rules, metrics: ["load": 20], reportingInstances: 3, current: 3, minInstances: 1,
            maxInstances: 10)
        #expect(
            decision.steps.map(\.outcome) == [.applied, .collapsed, .applied], "expected applied, collapsed, applied")
        let load = decision.steps[1]
        #expect(load.load == 60 && load.average == 20 && load.reporting == 3, "expected load 20 × 3 = 60")
        #expect(load.wanted == RuleRange(lower: 12), "expected 'load <= 5' to want 12…∞")
        #expect(load.before == InstanceRange(lower: 2, upper: 4) && load.after == InstanceRange(lower: 4, upper: 4))
        #expect(
            load.why == "load total 60 (20 × 3 reporting) wants 12…∞ instances, more than the range so far 2…4 "
                + "allows: collapsed to its upper edge 4…4", "got \(load.why)")
        let rate = decision.steps[2]
        #expect(rate.zeroMetric && rate.outcomeName == "zero-metric", "expected the missing rate to count as 0")
        #expect(rate.why.hasPrefix("no instance reported 'rate', counted as 0:"), "got \(rate.why)")
        #expect(decision.ruleRange == InstanceRange(lower: 4, upper: 4) && decision.clamp == .none)
    }

    @Test("per-metric reporter counts override the overall count")
    func reportingByMetric() throws {
        let decision = ScalingDecision.evaluate(
            rules: try ScalingRules.parse("active <= 10, 1 <= rate"), metrics: ["active": 10, "rate": 1],
            reportingInstances: 2, reportingByMetric: ["active": 6], current: 1, minInstances: 1, maxInstances: 20)
        // active: 10 * 6 = 60 → 6…∞; rate: 1 * 2 = 2 → 0…2, wholly below: collapses to 6.
        #expect(decision.range == 6...6, "expected 6…6 from active's 6 reporters, got \(decision.range)")
        #expect(decision.steps.map(\.outcome) == [.applied, .collapsed], "expected the rate rule to collapse")
    }

    @Test("actions: the ramp limit while RUNNING, all of them when STOPPED, none when PAUSED")
    func actions() throws {
        let rules = try ScalingRules.parse("10 <= active <= 30")
        let running = ScalingDecision.evaluate(
            rules: rules, metrics: ["active": 50], reportingInstances: 2, current: 2, minInstances: 1,
            maxInstances: 20)
        #expect(running.actions(rampLimit: 2) == 2 && running.actions(rampLimit: 9) == 5, "expected min(5, ramp)")
        #expect(running.actions(rampLimit: 0) == 1, "expected a ramp limit below 1 to count as 1")
        let stopped = ScalingDecision.evaluate(
            rules: rules, metrics: [:], reportingInstances: 8, current: 8, minInstances: 1, maxInstances: 20,
            state: .stopped)
        #expect(stopped.actions(rampLimit: 1) == 8, "expected STOPPED to ignore the ramp limit")
        let paused = ScalingDecision.evaluate(
            rules: rules, metrics: [:], reportingInstances: 8, current: 8, minInstances: 1, maxInstances: 20,
            state: .paused)
        #expect(paused.actions(rampLimit: 5) == 0 && paused.steps.isEmpty, "expected PAUSED to do nothing")
    }
}
