/// Validation errors of a configuration, shaped like the API's `400` body:
/// `{"section": {"key": "message"}}`.
///
/// Problems with a whole section (an unknown section, a section that is not an object) are filed
/// under the key ``wholeSection``.
public struct ConfigErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The key used for errors about a whole section: `"*"`.
    public static let wholeSection = "*"

    /// `[section: [key: message]]`.
    public private(set) var errors: [String: [String: String]]

    /// - Parameter errors: initial `[section: [key: message]]`; default none.
    public init(_ errors: [String: [String: String]] = [:]) {
        self.errors = errors
    }

    /// Whether there are no errors.
    public var isEmpty: Bool { errors.isEmpty }

    /// The message for one key, if any.
    public subscript(section: String, key: String) -> String? {
        errors[section]?[key]
    }

    /// Records an error; the first message for a key is kept, since later checks often depend on it.
    public mutating func add(_ message: String, section: String, key: String = ConfigErrors.wholeSection) {
        // A huge value (or key) quoted back would make the answer as large as the request.
        let section = MessageText.cut(section)
        let key = MessageText.cut(key)
        if errors[section]?[key] == nil {
            errors[section, default: [:]][key] = MessageText.cut(message)
        }
    }

    /// Adds every error of `other`.
    public mutating func merge(_ other: ConfigErrors) {
        for (section, keys) in other.errors {
            for (key, message) in keys { add(message, section: section, key: key) }
        }
    }

    /// The API error body.
    public var jsonValue: JSONValue {
        .object(errors.mapValues { .object($0.mapValues { .string($0) }) })
    }

    /// All errors, one `[section] key: message` per line, sorted.
    public var description: String {
        errors.sorted { $0.key < $1.key }.flatMap { section, keys in
            keys.sorted { $0.key < $1.key }.map { key, message in
                key == Self.wholeSection ? "[\(section)]: \(message)" : "[\(section)] \(key): \(message)"
            }
        }.joined(separator: "\n")
    }
}
