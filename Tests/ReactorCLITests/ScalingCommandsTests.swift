import Foundation
import ReactorCore
import ReactorStore
import Testing
import ZooKeeper

/// `reactor scaling replay` (offline) and `reactor explain` (against a live API).
@Suite struct ScalingCommandsTests {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/scaling")

    @Test func replayOfTheExamplePrintsTheExpectedOutput() async throws {
        let series = Self.examples.appendingPathComponent("morning-peak.csv").path
        let expected = try String(contentsOf: Self.examples.appendingPathComponent("expected.txt"), encoding: .utf8)
        let result = try await CLIProcess(
            [
                "scaling", "replay", "--rules", "1 <= load <= 5", "--min", "1", "--max", "8", "--metrics", series,
                "--launch-delay", "30",
            ]
        ).finish()
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == expected, "examples/scaling/expected.txt is what the replay prints:\n\(result)")
    }

    @Test func replayReadsDecisionRecordLinesAndPrintsJSON() async throws {
        let decision = ScalingDecision.evaluate(
            rules: try ScalingRules.parse("load <= 5"), metrics: ["load": 20], reportingInstances: 1, current: 1,
            minInstances: 1, maxInstances: 4)
        let lines = [0.0, 10].map { time in
            DecisionRecord(time: time, decision: decision, metrics: ["load": 20], reporting: ["load": 1], rampLimit: 5)
                .jsonValue.jsonText
        }
        let result = try await CLIProcess(
            ["scaling", "replay", "--rules", "load <= 5", "--max", "4", "--metrics", "-", "--json"],
            stdin: lines.joined(separator: "\n") + "\n"
        ).finish()
        #expect(result.status == 0, "\(result)")
        let output = try JSONValue(parsing: result.stdout).objectValue ?? [:]
        let passes = output["passes"]?.arrayValue?.compactMap(\.objectValue) ?? []
        #expect(passes.map { $0["target"] } == [4, 4], "total 20 wants 4: \(result)")
        #expect(passes.map { $0["change"] } == [3, 0], "3 launches, then none: \(result)")
        #expect(output["changes"]?.arrayValue?.count == 1, "\(result)")
    }

    @Test func replayRefusesBadInput() async throws {
        let rules = try await CLIProcess(["scaling", "replay", "--rules", "load >", "--metrics", "-"]).finish()
        #expect(rules.status != 0 && rules.stderr.contains("--rules: rule 1 'load >'"), "\(rules)")
        let series = try await CLIProcess(["scaling", "replay", "--metrics", "-"], stdin: "0,load,x\n").finish()
        #expect(
            series.status == 1 && series.error == "reactor: standard input: line 1: value 'x' is not a finite number",
            "\(series)")
    }

    @Test func explainShowsTheRecordedDecision() async throws {
        try await LiveAPI.with("cli-explain") { api in
            #expect(try await api.run("endpoints", "create", "web").status == 0)
            var result = try await api.run("explain", "web")
            #expect(
                result.lines == [
                    "problems:  none", "no decision recorded for 'web' yet: its owner records one each pass",
                ],
                "\(result)")
            result = try await api.run("explain", "web", "--json")
            #expect(result.stdout == "null\n", "\(result)")

            let id = try await api.store.endpointID(named: "web")
            let decision = ScalingDecision.evaluate(
                rules: try ScalingRules.parse("2 <= instances <= 4, load <= 5"), metrics: ["load": 20],
                reportingInstances: 3, current: 3, minInstances: 1, maxInstances: 10)
            let record = DecisionRecord(
                time: 1_700_000_000, decision: decision, metrics: ["load": 20], reporting: ["load": 3], rampLimit: 5,
                holds: [(.dryRun, "dry_run is set: 1 action(s) not taken")])
            try await api.store.recordDecision(record, id: id) { operations in _ = try await api.zk.multi(operations) }

            result = try await api.runUntil("explain", "web", "--json") { $0.stdout != "null\n" }
            #expect(try JSONValue(parsing: result.stdout) == record.jsonValue, "\(result)")
            result = try await api.run("explain", "web")
            #expect(result.status == 0, "\(result)")
            let expected = [
                "problems:  none",
                "decided:    2023-11-14 22:13:20 (state RUNNING)",
                "instances:  3",
                "metrics:    load 20 (3 reporting)",
                "range:      4…4 (clamp none; min 1, max 10)",
                "target:     4 (1 action(s) this pass)",
                "held back:  dry_run: dry_run is set: 1 action(s) not taken",
                "why:        target 3 → 4: rule 'load <= 5' wants 12…∞ instances (load total 60), more than 2…4 allows: collapsed to 4…4",
                "rules:",
            ]
            #expect(Array(result.lines.prefix(expected.count)) == expected, "\(result)")
            let table = result.lines.dropFirst(expected.count).map { $0.split(separator: " ").first ?? "" }
            #expect(table.count == 3, "a header and a row per rule: \(result)")
            #expect(result.lines.last?.contains("collapsed") == true, "the load rule collapsed the range: \(result)")
        }
    }
}
