import ReactorCore
import Testing

@Suite("Scaling replay")
struct ScalingReplayTests {
    @Test("CSV with a header, comments and instance counts")
    func csv() throws {
        let series = try MetricSeries(
            text: "time,metric,value,instances\n# warm-up\n0,load,4,1\n10,load,20,1\n10,rate,3\n")
        #expect(series.points.map(\.time) == [0, 10], "expected one point per time")
        #expect(series.points[1].samples["load"] == .init(value: 20, instances: 1))
        #expect(series.points[1].samples["rate"] == .init(value: 3, instances: nil))
    }

    @Test("bad CSV names the line")
    func badCSV() {
        #expect(throws: MetricSeriesError(line: 2, reason: "value 'x' is not a finite number")) {
            try MetricSeries(text: "0,load,1\n5,load,x\n")
        }
        #expect(throws: MetricSeriesError(line: 0, reason: "the series has no samples")) {
            try MetricSeries(text: "time,metric,value\n")
        }
    }

    @Test("decision record lines are a series too")
    func recordLines() throws {
        let decision = ScalingDecision.evaluate(
            rules: try ScalingRules.parse("load <= 5"), metrics: ["load": 20], reportingInstances: 3, current: 3,
            minInstances: 1, maxInstances: 10)
        let record = DecisionRecord(
            time: 100, decision: decision, metrics: ["load": 20], reporting: ["load": 3], rampLimit: 5)
        let series = try MetricSeries(text: record.jsonValue.jsonText + "\n")
        #expect(series.points == [.init(time: 100, samples: ["load": .init(value: 20, instances: 3)])])
    }

    @Test("a total load is spread over instances as they appear after the launch delay")
    func launchDelay() throws {
        // Total load 20 (20 × 1); load <= 5 wants 4…∞, max 4 → 4. Launched at 0, the 3 new instances
        // appear at 30.
        let series = try MetricSeries(text: "0,load,20,1\n10,load,20,1\n20,load,20,1\n30,load,20,1\n")
        let replay = ScalingReplay(
            rules: try ScalingRules.parse("load <= 5"), minInstances: 1, maxInstances: 4, launchDelay: 30)
        let passes = replay.run(series)
        #expect(passes.map(\.count) == [1, 4, 4, 4], "expected 3 launches at 0")
        #expect(passes.map(\.reporting) == [1, 1, 1, 4], "expected them to report from 30 on")
        #expect(passes.map(\.change) == [3, 0, 0, 0], "expected no further launch while they start")
        #expect(passes[3].metrics["load"] == 5, "expected 20 spread over 4 instances")
    }

    @Test("scaling in removes instances that have not appeared first, at most ramp_limit a pass")
    func scaleIn() throws {
        let series = try MetricSeries(text: "0,load,40,1\n10,load,0,1\n20,load,0,1\n")
        let replay = ScalingReplay(
            rules: try ScalingRules.parse("1 <= load <= 5"), minInstances: 1, maxInstances: 10, rampLimit: 4,
            launchDelay: 60)
        let passes = replay.run(series)
        // 40 wants 8…40 → clamped 8…10 → 9: +4 (ramp 4). Then zero load → 0…0 → min 1: −4, all launching.
        #expect(passes.map(\.change) == [4, -4, 0], "got \(passes.map(\.change))")
        #expect(passes.map(\.after) == [5, 1, 1], "got \(passes.map(\.after))")
    }

    @Test("records compare without their time")
    func recordComparison() throws {
        let decision = ScalingDecision.evaluate(
            rules: ScalingRules(), metrics: [:], reportingInstances: 1, current: 1, minInstances: 1, maxInstances: 1)
        let first = DecisionRecord(time: 1, decision: decision, metrics: [:], rampLimit: 5)
        let later = DecisionRecord(time: 2, decision: decision, metrics: [:], rampLimit: 5)
        #expect(first.comparable == later.comparable && first != later, "expected only the time to differ")
        #expect(first.jsonValue.objectValue?["time"] == 1, "expected the time in the stored form")
        let held = DecisionRecord(
            time: 1, decision: decision, metrics: [:], rampLimit: 5, holds: [(.dryRun, "dry_run is set")])
        #expect(held.comparable != first.comparable, "expected a hold to be a change")
        #expect(held.jsonValue.objectValue?["held"] == [["by": "dry_run", "why": "dry_run is set"]])
    }
}
