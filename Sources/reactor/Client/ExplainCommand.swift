import ArgumentParser
import ReactorCore

/// `reactor explain NAME`: the owner's last scaling decision for an endpoint, in words.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain an endpoint's last scaling decision (GET /v1.1/endpoints/NAME/decision).",
        discussion: """
            First the endpoint's current problems (GET …/conditions), then what the owning manager saw (metric averages and reporting instances), the range each \
            rule asked for and what it did to the range, the min/max clamp, the target, and what held the \
            manager back (ramp limit, launch backoff, pause, dry run). The owner records a decision each \
            pass; before the first there is none.
            """)
    @OptionGroup var options: ClientOptions
    @Argument(help: "The endpoint's name.") var name: String

    func run() async throws {
        try await options.run { api, out in
            let record = try await api.get(APIClient.path("endpoints", name, "decision"))
            // --json keeps to the decision record; the conditions are `reactor endpoints` and GET …/conditions.
            if out.json { return out.printJSON(record) }
            let conditions = try await api.get(APIClient.path("endpoints", name, "conditions"))
            for line in Self.conditionLines(EndpointCondition.list(conditions)) { print(line) }
            guard let members = record.objectValue else {
                print("no decision recorded for '\(name)' yet: its owner records one each pass")
                return
            }
            for line in Self.lines(members) { print(line) }
        }
    }

    /// The readable form of a decision record.
    static func lines(_ record: [String: JSONValue]) -> [String] {
        func text(_ key: String) -> String { ClientOutput.text(record[key] ?? .null) }
        var fields: [(String, String)] = []
        let time = record["time"]?.numberValue.map(ClientOutput.time) ?? "-"
        fields.append(("decided", "\(time) (state \(text("state")))"))
        fields.append(("instances", text("instances")))
        let metrics = (record["metrics"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { name, input in
            let average = ClientOutput.text(input.objectValue?["average"] ?? .null)
            let reporting = ClientOutput.text(input.objectValue?["reporting"] ?? .null)
            return "\(name) \(average) (\(reporting) reporting)"
        }
        fields.append(("metrics", metrics.isEmpty ? "(none reported)" : metrics.joined(separator: ", ")))
        fields.append(
            (
                "range",
                "\(range(record["range"])) (clamp \(text("clamp")); min \(text("min_instances")), max \(text("max_instances")))"
            ))
        let decided = record["decided_target"] ?? record["target"] ?? .null
        var target = "\(text("target")) (\(text("actions")) action(s) this pass)"
        if decided != record["target"] { target += "; the rules decided \(ClientOutput.text(decided))" }
        fields.append(("target", target))
        for hold in record["held"]?.arrayValue ?? [] {
            let members = hold.objectValue ?? [:]
            fields.append(
                (
                    "held back",
                    "\(ClientOutput.text(members["by"] ?? .null)): \(ClientOutput.text(members["why"] ?? .null))"
                ))
        }
        for note in record["notes"]?.arrayValue ?? [] { fields.append(("note", ClientOutput.text(note))) }
        fields.append(("why", text("explanation")))
        var lines = ClientOutput.aligned(fields.map { [$0.0 + ":", $0.1] })
        let steps = record["steps"]?.arrayValue ?? []
        if !steps.isEmpty {
            lines.append("rules:")
            let rows = steps.map { step -> [String] in
                let members = step.objectValue ?? [:]
                return [
                    "  " + ClientOutput.text(members["rule"] ?? .null), range(members["range"]),
                    ClientOutput.text(members["outcome"] ?? .null), ClientOutput.text(members["why"] ?? .null),
                ]
            }
            lines += ClientOutput.aligned([["  RULE", "WANTS", "OUTCOME", "WHY"]] + rows)
        }
        return lines
    }

    /// The endpoint's current problems, each with when it started and who saw it; one line saying
    /// there are none otherwise.
    static func conditionLines(_ conditions: [EndpointCondition]) -> [String] {
        guard !conditions.isEmpty else { return ["problems:  none"] }
        return ["problems:"]
            + conditions.map { condition in
                "  \(condition.kind.rawValue): \(condition.reason) (since \(ClientOutput.time(condition.since)), "
                    + "last seen \(ClientOutput.time(condition.lastSeen)), by \(condition.source))"
            }
    }

    /// `[4, 10]` as `4…10`, `[4, null]` as `4…∞`.
    static func range(_ value: JSONValue?) -> String {
        guard let ends = value?.arrayValue, ends.count == 2 else { return "-" }
        let upper = ends[1].numberValue.map(ClientOutput.number) ?? "∞"
        return "\(ClientOutput.text(ends[0]))…\(upper)"
    }
}
