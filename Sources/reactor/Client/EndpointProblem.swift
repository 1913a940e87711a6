import ReactorCore

/// What `reactor endpoints` shows in its PROBLEM column: the endpoint's conditions (its current
/// problems, as `GET /v1.1/summary` lists them), the first in full and how many more.
enum EndpointProblem {
    /// The widest PROBLEM text, in characters.
    static let width = 100

    /// `-` when the endpoint has no condition.
    static func describe(conditions: [EndpointCondition]) -> String {
        guard let first = conditions.first else { return "-" }
        var text = "\(first.kind.rawValue): \(first.reason)"
        if conditions.count > 1 { text += " (+\(conditions.count - 1) more: reactor explain)" }
        return text.count > width ? String(text.prefix(width - 1)) + "…" : text
    }

    /// The INSTANCES column: the count, and the owner's target when it differs (`2 → 3`).
    static func instances(_ summary: [String: JSONValue]) -> String {
        let count = Int(summary["instances"]?.numberValue ?? 0)
        guard let target = summary["target"]?.numberValue.map({ Int($0) }), target != count else { return "\(count)" }
        return "\(count) → \(target)"
    }

    /// The NAME column: an alias says whose.
    static func name(_ summary: [String: JSONValue]) -> String {
        let name = summary["name"]?.stringValue ?? "?"
        guard let original = summary["alias_of"]?.stringValue else { return name }
        return "\(name) (alias of \(original))"
    }
}
