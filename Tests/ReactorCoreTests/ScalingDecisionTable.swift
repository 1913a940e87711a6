import ReactorCore
import Testing

/// One row of the scaling table: inputs, and the range, target and step outcomes worked by hand
/// from docs/design.md#scaling (the arithmetic is in each name).
struct ScalingCase: Sendable, CustomTestStringConvertible {
    var name: String
    var rules: String
    var metrics: [String: Double] = [:]
    var reporting = 0
    var current: Int
    var min = 1
    var max = 10
    var state = EndpointState.running
    var range: ClosedRange<Int>
    var target: Int
    /// Expected `outcomeName` of each step, in order; `nil`: not checked.
    var outcomes: [String]? = nil

    var testDescription: String { name }
}

extension ScalingCase {
    static let table: [ScalingCase] = designExamples + bounds + combining + limits + states

    static let designExamples: [ScalingCase] = [
        ScalingCase(
            name: "DESIGN: 10 <= active <= 30, total 100 → k ≥ ceil(100/30)=4, k ≤ 100/10=10 → 4…10, midpoint 7",
            rules: "10 <= active <= 30", metrics: ["active": 50], reporting: 2, current: 2, max: 20,
            range: 4...10, target: 7, outcomes: ["applied"]),
        ScalingCase(
            name: "DESIGN: 2 <= instances <= 4 then load 20×3=60 wants 12…∞, wholly above 2…4 → collapses to 4",
            rules: "2 <= instances <= 4, load <= 5", metrics: ["load": 20], reporting: 3, current: 3,
            range: 4...4, target: 4, outcomes: ["applied", "collapsed"]),
        ScalingCase(
            name: "DESIGN: 2 <= active <= 8 before any traffic → 0…0, clamped to min 1",
            rules: "2 <= active <= 8", current: 0, max: 5, range: 1...1, target: 1, outcomes: ["zero-metric"]),
        ScalingCase(
            name: "DESIGN: same with one instance already running keeps it",
            rules: "2 <= active <= 8", reporting: 1, current: 1, max: 5, range: 1...1, target: 1,
            outcomes: ["zero-metric"]),
        ScalingCase(
            name: "a missing response metric counts as 0: response < 300 wants 0…∞, 5 within 2…10 is kept",
            rules: "2 <= instances <= 10, response < 300", reporting: 5, current: 5, max: 20, range: 2...10,
            target: 5, outcomes: ["applied", "zero-metric"]),
        ScalingCase(
            name: "a missing metric with a lower bound wants 0…0: shrinks to min_instances 2",
            rules: "10 <= active <= 30", reporting: 4, current: 4, min: 2, range: 2...2, target: 2,
            outcomes: ["zero-metric"]),
        ScalingCase(
            name: "a negative average is no usable load and counts as 0",
            rules: "active <= 10", metrics: ["active": -5], reporting: 2, current: 2, range: 1...10, target: 2,
            outcomes: ["zero-metric"]),
    ]

    static let bounds: [ScalingCase] = [
        ScalingCase(
            name: "instances rule raises 1 to the midpoint of 2…10: 6",
            rules: "2 <= instances <= 10", current: 1, max: 20, range: 2...10, target: 6),
        ScalingCase(
            name: "instances rule lowers 12 to the midpoint of 2…10: 6",
            rules: "2 <= instances <= 10", current: 12, max: 20, range: 2...10, target: 6),
        ScalingCase(
            name: "non-strict upper bound, exact: k ≥ 100/25 = 4 → 4…10, 7",
            rules: "active <= 25", metrics: ["active": 50], reporting: 2, current: 2, range: 4...10, target: 7),
        ScalingCase(
            name: "strict upper bound, exact: one more than 100/25 → 5…10, 7",
            rules: "active < 25", metrics: ["active": 50], reporting: 2, current: 2, range: 5...10, target: 7),
        ScalingCase(
            name: "strict upper bound, inexact: ceil(100/30) = 4 → 4 kept",
            rules: "active < 30", metrics: ["active": 50], reporting: 2, current: 4, range: 4...10, target: 4),
        ScalingCase(
            name: "non-strict lower bound, exact: k ≤ 100/10 = 10 → 1…10, 15 → 5",
            rules: "10 <= active", metrics: ["active": 50], reporting: 2, current: 15, max: 20,
            range: 1...10, target: 5),
        ScalingCase(
            name: "strict lower bound, exact: one fewer than 100/10 → 1…9, 10 → 5",
            rules: "10 < active", metrics: ["active": 50], reporting: 2, current: 10, max: 20,
            range: 1...9, target: 5),
        ScalingCase(
            name: "strict lower bound, inexact: ceil(105/10) = 11 → 11 kept",
            rules: "10 < active", metrics: ["active": 52.5], reporting: 2, current: 11, max: 20,
            range: 1...11, target: 11),
        ScalingCase(
            name: "non-strict lower bound, inexact: ceil(105/10) = 11 → 12 → 6",
            rules: "10 <= active", metrics: ["active": 52.5], reporting: 2, current: 12, max: 20,
            range: 1...11, target: 6),
        ScalingCase(
            name: "strict instances bounds: 2 < instances < 6 is 3…5 → 4",
            rules: "2 < instances < 6", current: 2, max: 20, range: 3...5, target: 4),
        ScalingCase(
            name: "instances upper bound only: 0…4 raised to 1…4, 8 → 2",
            rules: "instances <= 4", current: 8, max: 20, range: 1...4, target: 2),
        ScalingCase(
            name: "decimal strict lower bound: 0.5 < cpu at total 4 → k ≤ 8 − 1 = 7, 9 → 4",
            rules: "0.5 < cpu", metrics: ["cpu": 0.8], reporting: 5, current: 9, range: 1...7, target: 4),
        ScalingCase(
            name: "floating-point noise still divides exactly: 0.3/0.1 = 3 → 3…10, 3 kept",
            rules: "active <= 0.1", metrics: ["active": 0.1], reporting: 3, current: 3, range: 3...10, target: 3),
        ScalingCase(
            name: "zero load with an upper bound needs 0…∞: 3 kept",
            rules: "active <= 30", metrics: ["active": 0], reporting: 3, current: 3, range: 1...10, target: 3,
            outcomes: ["applied"]),
        ScalingCase(
            name: "zero load with a strict upper bound needs 0…∞ too",
            rules: "active < 30", metrics: ["active": 0], reporting: 3, current: 3, range: 1...10, target: 3),
        ScalingCase(
            name: "zero load with a lower bound allows 0…0: shrinks to min 1",
            rules: "10 <= active <= 30", metrics: ["active": 0], reporting: 3, current: 3, range: 1...1, target: 1),
        ScalingCase(
            name: "zero load with a strict lower bound allows 0…0 as well (not −1)",
            rules: "2 < active", metrics: ["active": 0], reporting: 3, current: 3, range: 1...1, target: 1),
        ScalingCase(
            name: "zero load with min_instances 0 stops everything",
            rules: "10 <= active <= 30", metrics: ["active": 0], reporting: 3, current: 3, min: 0,
            range: 0...0, target: 0),
        ScalingCase(
            name: "no reporting instances is zero load: 4 kept",
            rules: "active <= 10", metrics: ["active": 50], reporting: 0, current: 4, range: 1...10, target: 4),
        ScalingCase(
            name: "a huge load wants more than max: 1e9 total → 10",
            rules: "active <= 1", metrics: ["active": 1e6], reporting: 1000, current: 3, range: 10...10,
            target: 10),
    ]

    static let combining: [ScalingCase] = [
        ScalingCase(
            name: "two rules intersect: 4…10 ∩ 0…6 = 4…6, 2 → 5",
            rules: "10 <= active <= 30, instances <= 6", metrics: ["active": 50], reporting: 2, current: 2,
            range: 4...6, target: 5, outcomes: ["applied", "applied"]),
        ScalingCase(
            name: "two metric rules meet in one count: active 120/20 = 6…∞, rate 600/100 = 0…6 → 6",
            rules: "active <= 20, 100 <= rate", metrics: ["active": 30, "rate": 150], reporting: 4, current: 4,
            range: 6...6, target: 6, outcomes: ["applied", "applied"]),
        ScalingCase(
            name: "a later rule wanting more collapses to the upper edge: 0…3 then 10…∞ → 3",
            rules: "instances <= 3, active <= 10", metrics: ["active": 50], reporting: 2, current: 2,
            range: 3...3, target: 3, outcomes: ["applied", "collapsed"]),
        ScalingCase(
            name: "a later rule wanting fewer collapses to the lower edge: 10…∞ then 0…3 → 10",
            rules: "active <= 10, instances <= 3", metrics: ["active": 50], reporting: 2, current: 2, max: 20,
            range: 10...10, target: 10, outcomes: ["applied", "collapsed"]),
        ScalingCase(
            name: "strict exact 500/100 wants 6…∞; 2…3 after it collapses to 6",
            rules: "rate < 100, 2 <= instances <= 3", metrics: ["rate": 100], reporting: 5, current: 3,
            range: 6...6, target: 6, outcomes: ["applied", "collapsed"]),
        ScalingCase(
            name: "a metric wanting fewer than an instances rule: 4…8 then ceil(8/10) = 0…1 → 4",
            rules: "4 <= instances <= 8, 10 <= active", metrics: ["active": 2], reporting: 4, current: 6,
            range: 4...4, target: 4, outcomes: ["applied", "collapsed"]),
        ScalingCase(
            name: "two instances rules: 0…5 then 8…∞ collapses to 5",
            rules: "instances <= 5, 8 <= instances", current: 2, range: 5...5, target: 5,
            outcomes: ["applied", "collapsed"]),
        ScalingCase(
            name: "a collapse holds against a third rule: 2…4, load → 4…4, instances <= 3 → still 4",
            rules: "2 <= instances <= 4, load <= 5, instances <= 3", metrics: ["load": 20], reporting: 3,
            current: 3, range: 4...4, target: 4, outcomes: ["applied", "collapsed", "collapsed"]),
        ScalingCase(
            name: "a rule with no count (20/10.5 → 2, 20/10 strict → 1: 2…1): the rules disagree, 5 kept",
            rules: "10 < rate < 10.5", metrics: ["rate": 10], reporting: 2, current: 5, range: 1...10, target: 5,
            outcomes: ["disagrees"]),
        ScalingCase(
            name: "disagreeing rules keep the count even below min_instances",
            rules: "10 < rate < 10.5", metrics: ["rate": 10], reporting: 2, current: 0, range: 1...10, target: 0,
            outcomes: ["disagrees"]),
        ScalingCase(
            name: "one disagreeing rule among others still keeps the count: 8 outside 1…3 stays",
            rules: "instances <= 3, 10 < rate < 10.5", metrics: ["rate": 10], reporting: 2, current: 8,
            range: 1...3, target: 8, outcomes: ["applied", "disagrees"]),
    ]

    static let limits: [ScalingCase] = [
        ScalingCase(
            name: "the rules want more than max 5 (10…∞) → 5",
            rules: "active <= 10", metrics: ["active": 50], reporting: 2, current: 2, max: 5, range: 5...5,
            target: 5),
        ScalingCase(
            name: "the rules want fewer than min 3 (0…1) → 3",
            rules: "instances <= 1", current: 1, min: 3, max: 8, range: 3...3, target: 3),
        ScalingCase(
            name: "no rules → min_instances 2, 7 → 2",
            rules: "", current: 7, min: 2, max: 4, range: 2...2, target: 2),
        ScalingCase(
            name: "no rules at min_instances keeps it",
            rules: "", current: 2, min: 2, max: 4, range: 2...2, target: 2),
        ScalingCase(
            name: "no rules and min_instances 0 → 0",
            rules: "", current: 3, min: 0, max: 4, range: 0...0, target: 0),
        ScalingCase(
            name: "max_instances below min_instances is raised to min: 3",
            rules: "", current: 0, min: 3, max: 1, range: 3...3, target: 3),
        ScalingCase(
            name: "midpoint of 4…9 rounds down: 6",
            rules: "4 <= instances <= 9", current: 1, max: 20, range: 4...9, target: 6),
        ScalingCase(
            name: "the current count inside the range is kept: 9 in 4…10",
            rules: "10 <= active <= 30", metrics: ["active": 50], reporting: 2, current: 9, max: 20,
            range: 4...10, target: 9),
        ScalingCase(
            name: "a missing upper-bound metric: 0…∞ clamped to 1…5, 3 kept",
            rules: "rate < 100", current: 3, max: 5, range: 1...5, target: 3, outcomes: ["zero-metric"]),
        ScalingCase(
            name: "a missing upper-bound metric with 0 below min 2: midpoint of 2…6 = 4",
            rules: "rate < 100", current: 0, min: 2, max: 6, range: 2...6, target: 4),
    ]

    static let states: [ScalingCase] = [
        ScalingCase(
            name: "STOPPED → 0 whatever the rules",
            rules: "10 <= active <= 30", metrics: ["active": 50], reporting: 4, current: 4, state: .stopped,
            range: 0...0, target: 0, outcomes: []),
        ScalingCase(
            name: "STOPPED with none running stays at 0",
            rules: "", current: 0, min: 2, state: .stopped, range: 0...0, target: 0, outcomes: []),
        ScalingCase(
            name: "PAUSED → nothing: 4 kept, no rule evaluated",
            rules: "instances <= 1", current: 4, state: .paused, range: 4...4, target: 4, outcomes: []),
    ]
}
