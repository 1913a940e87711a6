import Foundation

/// A decoded JSON value.
///
/// Callers that receive JSON from the API or from ZooKeeper decode it into a `JSONValue` and hand it
/// to the domain types (``WeightedMetrics``, ``ConfigDocument``) without committing to a schema first,
/// so that malformed parts can be reported one by one instead of failing the whole document.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// Decodes a JSON document.
    ///
    /// - Parameter data: UTF-8 JSON text; top-level scalars are accepted.
    /// - Throws: the decoder's error when `data` is not JSON.
    /// - Throws: ``StrictJSONSyntax/Failure`` for text that is not JSON as RFC 8259 has it
    ///   (trailing commas included), or the decoder's error.
    public init(parsing data: Data) throws {
        try StrictJSONSyntax.check(data)
        self = try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Decodes a JSON document from a string.
    public init(parsing text: String) throws {
        try self.init(parsing: Data(text.utf8))
    }

    /// Decodes a JSON document that may not be one: for stored values that are JSON when a
    /// program wrote them and anything a person wrote by hand otherwise, where "not JSON" is an
    /// answer (the caller falls back to the text, or to nothing), not a failure.
    ///
    /// - Returns: nil when `data` is not JSON (see ``init(parsing:)-(Data)``).
    public init?(validJSON data: Data) {
        do {
            try self.init(parsing: data)
        } catch {
            return nil
        }
    }

    /// Decodes a JSON document from a string that may not be one (see ``init(validJSON:)-(Data)``).
    public init?(validJSON text: String) {
        self.init(validJSON: Data(text.utf8))
    }

    /// Encodes the value as compact JSON with sorted keys, so equal values give equal bytes.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(self)
        } catch {
            // Cannot happen: every case maps to a JSON value, and a number that is not finite
            // (`.number(.nan)` built by hand) encodes as null (see `encode(to:)`).
            return Data("null".utf8)
        }
    }

    /// The value as compact JSON text with sorted keys.
    public var jsonText: String {
        String(decoding: encoded(), as: UTF8.self)
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Each kind is tried in turn: a decode that fails only means the value is of another kind.
        if container.decodeNil() {
            self = .null
        } else if let value = Self.decode(Bool.self, from: container) {
            self = .bool(value)
        } else if let value = Self.decode(Double.self, from: container) {
            self = .number(value)
        } else if let value = Self.decode(String.self, from: container) {
            self = .string(value)
        } else if let value = Self.decode([JSONValue].self, from: container) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The value as a `T`, nil when it is of another kind (the next kind is tried).
    private static func decode<T: Decodable>(_ type: T.Type, from container: any SingleValueDecodingContainer) -> T? {
        do {
            return try container.decode(type)
        } catch {
            return nil
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.isFinite { try container.encode(value) } else { try container.encodeNil() }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue {
    /// The number, when this is `.number`.
    public var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The string, when this is `.string`.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The members, when this is `.object`.
    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The elements, when this is `.array`.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
