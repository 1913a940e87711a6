import ReactorCore
import Testing

@Suite("Scaling evaluation requests")
struct ScalingEvaluationTests {
    @Test("a full request decides through the shared decision code")
    func fullRequest() throws {
        let evaluation = try ScalingEvaluation(json: [
            "scaling": ["rules": "2 <= instances <= 4, load <= 5", "min_instances": 1, "max_instances": 10],
            "instances": 3, "metrics": ["load": 20], "state": "running",
        ])
        let answer = try #require(evaluation.answer.objectValue)
        #expect(answer["target"] == 4 && answer["range"] == [4, 4], "expected DESIGN's 4…4 → 4: \(answer)")
        #expect(answer["actions"] == 1, "expected one launch")
        let steps = answer["steps"]?.arrayValue ?? []
        #expect(steps.map { $0.objectValue?["outcome"] } == ["applied", "collapsed"], "\(steps)")
        #expect(steps.first?.objectValue?["range"] == [2, 4] && steps.last?.objectValue?["range"] == [12, nil])
    }

    @Test("defaults: no rules, min 1, max 1, ramp 5, no metrics, RUNNING")
    func defaults() throws {
        let evaluation = try ScalingEvaluation(json: ["scaling": [:], "instances": 0])
        #expect(evaluation.rules.isEmpty && evaluation.minInstances == 1 && evaluation.maxInstances == 1)
        #expect(evaluation.rampLimit == 5 && evaluation.metrics.isEmpty && evaluation.state == .running)
        #expect(evaluation.decision.target == 1, "expected no rules to give min_instances")
    }

    struct BadBody: Sendable, CustomTestStringConvertible {
        var body: JSONValue
        var field: String
        var message: String
        var testDescription: String { "\(field): \(message)" }
    }

    static let badBodies: [BadBody] = [
        .init(body: [1, 2], field: "body", message: "must be a JSON object"),
        .init(body: ["instances": 1], field: "scaling", message: "required"),
        .init(body: ["scaling": "x", "instances": 1], field: "scaling", message: "must be an object"),
        .init(body: ["scaling": [:]], field: "instances", message: "required"),
        .init(body: ["scaling": [:], "instances": -1], field: "instances", message: "must not be negative, got -1"),
        .init(
            body: ["scaling": [:], "instances": 2.5], field: "instances", message: "must be a whole number, got 2.5"),
        .init(body: ["scaling": [:], "instances": "3"], field: "instances", message: "must be a whole number"),
        .init(body: ["scaling": [:], "instances": 1e12], field: "instances", message: "must be at most 1000000"),
        .init(
            body: ["scaling": ["rules": "active >"], "instances": 1], field: "scaling.rules",
            message: "rule 1 'active >': '>' is not supported"),
        .init(body: ["scaling": ["rules": 5], "instances": 1], field: "scaling.rules", message: "must be a string"),
        .init(
            body: ["scaling": ["min_instances": 4, "max_instances": 2], "instances": 1],
            field: "scaling.min_instances", message: "min_instances (4) is greater than max_instances (2)"),
        .init(
            body: ["scaling": ["ramp_limit": 0], "instances": 1], field: "scaling.ramp_limit",
            message: "must be at least 1, got 0"),
        .init(body: ["scaling": ["max": 3], "instances": 1], field: "scaling.max", message: "unknown key"),
        .init(
            body: ["scaling": ["dry_run": "yes"], "instances": 1], field: "scaling.dry_run", message: "true or false"),
        .init(body: ["scaling": [:], "instances": 1, "extra": 1], field: "extra", message: "unknown field"),
        .init(body: ["scaling": [:], "instances": 1, "metrics": [1]], field: "metrics", message: "must be an object"),
        .init(
            body: ["scaling": [:], "instances": 1, "metrics": ["rate": "high"]], field: "metrics.rate",
            message: "must be a number"),
        .init(
            body: ["scaling": [:], "instances": 1, "metrics": ["rate": .number(.infinity)]], field: "metrics.rate",
            message: "must be a finite number"),
        .init(body: ["scaling": [:], "instances": 1, "state": "GONE"], field: "state", message: "must be RUNNING"),
        .init(body: ["scaling": [:], "instances": 1, "state": 1], field: "state", message: "must be a string"),
    ]

    @Test("bad bodies name the field and what is wrong", arguments: badBodies)
    func badBody(_ row: BadBody) {
        do {
            _ = try ScalingEvaluation(json: row.body)
            Issue.record("expected \(row.body.jsonText) to be refused")
        } catch {
            let message = error.messages[row.field] ?? "(none)"
            #expect(message.contains(row.message), "expected '\(row.message)' for \(row.field), got \(error.messages)")
            #expect(error.jsonValue.objectValue?["message"]?.stringValue?.hasPrefix("invalid request: ") == true)
        }
    }

    @Test("an overflowing load stays a finite number and wants max_instances")
    func overflowingLoad() throws {
        let evaluation = try ScalingEvaluation(json: [
            "scaling": ["rules": "active <= 1", "max_instances": 7], "instances": 1_000_000,
            "metrics": ["active": 1e308],
        ])
        let answer = evaluation.answer.objectValue ?? [:]
        #expect(answer["target"] == 7, "expected the most instances allowed: \(answer)")
        let load = answer["steps"]?.arrayValue?.first?.objectValue?["load"]?.numberValue
        #expect(load.map(\.isFinite) == true, "expected a finite load in the answer, got \(String(describing: load))")
    }

    @Test("every bad field is reported at once")
    func allAtOnce() {
        do {
            _ = try ScalingEvaluation(json: ["scaling": ["min_instances": -1, "rules": "x <"], "instances": true])
            Issue.record("expected the body to be refused")
        } catch {
            #expect(
                error.messages.keys.sorted() == ["instances", "scaling.min_instances", "scaling.rules"],
                "got \(error.messages)")
        }
    }
}
