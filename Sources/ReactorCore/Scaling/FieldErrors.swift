/// Problems with the fields of a JSON request body, one message per field path
/// (`scaling.min_instances`, `metrics.rate`), so a client can show each next to its field.
public struct FieldErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// `[field path: message]`.
    public private(set) var messages: [String: String]

    /// - Parameter messages: initial `[field path: message]`; default none.
    public init(_ messages: [String: String] = [:]) {
        self.messages = messages
    }

    /// Whether there are no problems.
    public var isEmpty: Bool { messages.isEmpty }

    /// Records a problem; the first message for a field is kept.
    public mutating func add(_ message: String, field: String) {
        let field = MessageText.cut(field)
        if messages[field] == nil { messages[field] = MessageText.cut(message) }
    }

    /// `{"message": summary, "errors": {field: message}}`, the API's `400` body.
    public var jsonValue: JSONValue {
        ["message": .string(summary), "errors": .object(messages.mapValues(JSONValue.string))]
    }

    /// e.g. `invalid request: scaling.min_instances: must not be negative (and 1 more)`.
    public var summary: String {
        guard let (field, message) = messages.min(by: { $0.key < $1.key }) else { return "invalid request" }
        let more = messages.count > 1 ? " (and \(messages.count - 1) more)" : ""
        return "invalid request: \(field): \(message)\(more)"
    }

    /// Every problem, `field: message`, one per line, sorted.
    public var description: String {
        messages.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n")
    }
}
