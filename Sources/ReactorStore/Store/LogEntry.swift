import ReactorCore

/// One line of an endpoint or manager event log: `[timestamp, severity, message]` in the API.
public struct LogEntry: Sendable, Hashable {
    /// How serious an entry is.
    public enum Severity: String, Sendable, Hashable, CaseIterable {
        case info = "INFO"
        case warning = "WARNING"
        case error = "ERROR"
    }

    /// Seconds since 1970.
    public var timestamp: Double
    public var severity: Severity
    public var message: String

    /// - Parameters:
    ///   - timestamp: seconds since 1970.
    ///   - severity: default ``Severity/info``.
    ///   - message: the text.
    public init(timestamp: Double, severity: Severity = .info, message: String) {
        self.timestamp = timestamp
        self.severity = severity
        self.message = message
    }

    /// `[timestamp, "INFO", "text"]`
    public var jsonValue: JSONValue {
        .array([.number(timestamp), .string(severity.rawValue), .string(message)])
    }

    /// Reads the stored form; `nil` for anything else.
    public init?(json: JSONValue) {
        guard case .array(let parts) = json, parts.count == 3, let timestamp = parts[0].numberValue,
            let severity = parts[1].stringValue.flatMap(Severity.init(rawValue:)), let message = parts[2].stringValue
        else { return nil }
        self.init(timestamp: timestamp, severity: severity, message: message)
    }
}
