import ReactorCore
import Testing

/// One row of the scaling table: inputs and the expected range and target.
struct ScalingCase: Sendable, CustomTestStringConvertible {
    var name: String
    var rules: String
    var metrics: [String: Double] = [:]
    var reporting = 0
    var current: Int
    var min = 1
    var max = 10
    var range: ClosedRange<Int>
    var target: Int

    var testDescription: String { name }
}

@Suite("Scaling decision")
struct ScalingDecisionTests {
    static let cases: [ScalingCase] = [
        ScalingCase(
            name: "DESIGN example: 10 <= active <= 30 with total 100 → 4…10, midpoint 7",
            rules: "10 <= active <= 30", metrics: ["active": 50], reporting: 2, current: 2, max: 20,
            range: 4...10, target: 7),
        ScalingCase(
            name: "DESIGN example: missing response metric keeps a count within 2…10",
            rules: "2 <= instances <= 10, response < 300", current: 5, max: 20, range: 2...10, target: 5),
        ScalingCase(
            name: "instances rule raises a count below its range to the midpoint",
            rules: "2 <= instances <= 10, response < 300", current: 1, max: 20, range: 2...10, target: 6),
        ScalingCase(
            name: "instances rule lowers a count above its range to the midpoint",
            rules: "2 <= instances <= 10", current: 12, max: 20, range: 2...10, target: 6),
        ScalingCase(
            name: "non-strict upper bound, exact division: k >= 100/25",
            rules: "active <= 25", metrics: ["active": 50], reporting: 2, current: 2, range: 4...10, target: 7),
        ScalingCase(
            name: "strict upper bound, exact division: one more than 100/25",
            rules: "active < 25", metrics: ["active": 50], reporting: 2, current: 2, range: 5...10, target: 7),
        ScalingCase(
            name: "strict upper bound, inexact division: ceil(100/30)",
            rules: "active < 30", metrics: ["active": 50], reporting: 2, current: 4, range: 4...10, target: 4),
        ScalingCase(
            name: "non-strict lower bound, exact division: k <= 100/10",
            rules: "10 <= active", metrics: ["active": 50], reporting: 2, current: 15, max: 20,
            range: 1...10, target: 5),
        ScalingCase(
            name: "strict lower bound, exact division: one fewer than 100/10",
            rules: "10 < active", metrics: ["active": 50], reporting: 2, current: 10, max: 20,
            range: 1...9, target: 5),
        ScalingCase(
            name: "strict lower bound, inexact division: ceil(105/10) keeps 11",
            rules: "10 < active", metrics: ["active": 52.5], reporting: 2, current: 11, max: 20,
            range: 1...11, target: 11),
        ScalingCase(
            name: "non-strict lower bound, inexact division: ceil(105/10)",
            rules: "10 <= active", metrics: ["active": 52.5], reporting: 2, current: 12, max: 20,
            range: 1...11, target: 6),
        ScalingCase(
            name: "strict instances bounds exclude their values: 2 < instances < 6 is 3…5",
            rules: "2 < instances < 6", current: 2, max: 20, range: 3...5, target: 4),
        ScalingCase(
            name: "instances upper bound only",
            rules: "instances <= 4", current: 8, max: 20, range: 1...4, target: 2),
        ScalingCase(
            name: "a later metric rule conflicting with an instances rule is ignored",
            rules: "instances <= 3, active <= 10", metrics: ["active": 50], reporting: 2, current: 2,
            range: 1...3, target: 2),
        ScalingCase(
            name: "a later instances rule conflicting with a metric rule is ignored",
            rules: "active <= 10, instances <= 3", metrics: ["active": 50], reporting: 2, current: 2,
            max: 20, range: 10...20, target: 15),
        ScalingCase(
            name: "a later metric rule conflicting with an earlier metric rule is ignored",
            rules: "rate < 100, 2 <= instances <= 3", metrics: ["rate": 100], reporting: 5, current: 3,
            range: 6...10, target: 8),
        ScalingCase(
            name: "two rules intersect",
            rules: "10 <= active <= 30, instances <= 6", metrics: ["active": 50], reporting: 2, current: 2,
            range: 4...6, target: 5),
        ScalingCase(
            name: "missing metric: rule skipped, current count kept",
            rules: "rate < 100", current: 3, max: 5, range: 1...5, target: 3),
        ScalingCase(
            name: "missing metric: current outside min…max moves to the midpoint",
            rules: "rate < 100", current: 0, min: 2, max: 6, range: 2...6, target: 4),
        ScalingCase(
            name: "zero load with an upper bound needs no instances",
            rules: "active <= 30", metrics: ["active": 0], reporting: 3, current: 3, range: 1...10, target: 3),
        ScalingCase(
            name: "zero load with a strict upper bound needs no instances either",
            rules: "active < 30", metrics: ["active": 0], reporting: 3, current: 3, range: 1...10, target: 3),
        ScalingCase(
            name: "zero load with a lower bound shrinks to min_instances",
            rules: "10 <= active <= 30", metrics: ["active": 0], reporting: 3, current: 3,
            range: 1...1, target: 1),
        ScalingCase(
            name: "zero load with a lower bound and min_instances 0 stops everything",
            rules: "10 <= active <= 30", metrics: ["active": 0], reporting: 3, current: 3, min: 0,
            range: 0...0, target: 0),
        ScalingCase(
            name: "no reporting instances means zero load",
            rules: "active <= 10", metrics: ["active": 50], reporting: 0, current: 4, range: 1...10, target: 4),
        ScalingCase(
            name: "range above max_instances is clamped to max",
            rules: "active <= 10", metrics: ["active": 50], reporting: 2, current: 2, max: 5,
            range: 5...5, target: 5),
        ScalingCase(
            name: "range below min_instances is clamped to min",
            rules: "instances <= 1", current: 1, min: 3, max: 8, range: 3...3, target: 3),
        ScalingCase(
            name: "no rules: min…max only",
            rules: "", current: 7, min: 2, max: 4, range: 2...4, target: 3),
        ScalingCase(
            name: "midpoint of an odd-sized range rounds down",
            rules: "4 <= instances <= 9", current: 1, max: 20, range: 4...9, target: 6),
        ScalingCase(
            name: "current count inside the range is kept",
            rules: "10 <= active <= 30", metrics: ["active": 50], reporting: 2, current: 9, max: 20,
            range: 4...10, target: 9),
        ScalingCase(
            name: "decimal strict lower bound: 0.5 < cpu with total 4 allows at most 7",
            rules: "0.5 < cpu", metrics: ["cpu": 0.8], reporting: 5, current: 9, range: 1...7, target: 4),
        ScalingCase(
            name: "floating-point noise still counts as an exact division",
            rules: "active <= 0.1", metrics: ["active": 0.1], reporting: 3, current: 3,
            range: 3...10, target: 3),
        ScalingCase(
            name: "max_instances below min_instances is raised to min",
            rules: "", current: 0, min: 3, max: 1, range: 3...3, target: 3),
        ScalingCase(
            name: "negative metric average is not a usable load: rule skipped",
            rules: "active <= 10", metrics: ["active": -5], reporting: 2, current: 2, range: 1...10, target: 2),
    ]

    @Test("table", arguments: cases)
    func table(_ row: ScalingCase) throws {
        let decision = ScalingDecision.evaluate(
            rules: try ScalingRules.parse(row.rules), metrics: row.metrics, reportingInstances: row.reporting,
            current: row.current, minInstances: row.min, maxInstances: row.max)
        #expect(decision.range == row.range, "expected range \(row.range), got \(decision.range)")
        #expect(decision.target == row.target, "expected target \(row.target), got \(decision.target)")
        #expect(decision.isChange == (row.target != row.current), "expected isChange to follow the target")
    }

    @Test("the explanation names the rule that drove the change")
    func explanationNamesDrivingRule() throws {
        let decision = ScalingDecision.evaluate(
            rules: try ScalingRules.parse("10 <= active <= 30"), metrics: ["active": 50], reportingInstances: 2,
            current: 2, minInstances: 1, maxInstances: 20)
        let expected = "target 2 → 7: rule '10 <= active <= 30' wants 4…10 instances (active total 100.0)"
        #expect(decision.explanation == expected, "expected explanation: \(expected)")
    }

    @Test("the explanation names min_instances, unchanged counts, ignored and skipped rules")
    func explanationVariants() throws {
        let clamped = ScalingDecision.evaluate(
            rules: ScalingRules(), metrics: [:], reportingInstances: 0, current: 0, minInstances: 1, maxInstances: 3)
        #expect(clamped.explanation == "target 0 → 2: min_instances is 1", "expected the min clamp to be named")

        let unchanged = ScalingDecision.evaluate(
            rules: try ScalingRules.parse("instances <= 3, active <= 10, rate < 5"), metrics: ["active": 50],
            reportingInstances: 2, current: 2, minInstances: 1, maxInstances: 10)
        let expected =
            "target 2 (unchanged): within 1…3"
            + "; rule 'active <= 10' ignored: wants 10…∞ instances (active total 100.0), "
            + "which conflicts with 0…3 from earlier rules"
            + "; rule 'rate < 5' skipped: no 'rate' metric reported"
        #expect(unchanged.explanation == expected, "expected explanation: \(expected)")
    }

    @Test("outcomes record applied, ignored and skipped rules in order")
    func outcomes() throws {
        let rules = try ScalingRules.parse("active <= 10, instances <= 3, rate < 5")
        let decision = ScalingDecision.evaluate(
            rules: rules, metrics: ["active": 50], reportingInstances: 2, current: 2, minInstances: 1,
            maxInstances: 20)
        #expect(decision.appliedRules == [rules.rules[0]], "expected only 'active <= 10' to apply")
        #expect(decision.ignoredRules == [rules.rules[1]], "expected 'instances <= 3' to be ignored")
        #expect(decision.skippedRules == [rules.rules[2]], "expected 'rate < 5' to be skipped")
        #expect(decision.outcomes[0].load == 100, "expected the total load a*n = 100")
        #expect(decision.outcomes[0].wanted == InstanceRange(lower: 10), "expected 'active <= 10' to want 10…∞")
        #expect(decision.ruleRange == InstanceRange(lower: 10), "expected the unclamped range 10…∞")
    }

    @Test("per-metric reporter counts override the overall count")
    func reportingByMetric() throws {
        let decision = ScalingDecision.evaluate(
            rules: try ScalingRules.parse("active <= 10, 1 <= rate"), metrics: ["active": 10, "rate": 1],
            reportingInstances: 2, reportingByMetric: ["active": 6], current: 1, minInstances: 1, maxInstances: 20)
        // active: 10 * 6 = 60 → k >= 6; rate: 1 * 2 = 2 → k <= 2 conflicts and is ignored.
        #expect(decision.range == 6...20, "expected 6…20 from active's 6 reporters, got \(decision.range)")
        #expect(decision.ignoredRules.map(\.metric) == ["rate"], "expected the rate rule to be ignored")
    }
}
