import Foundation

/// A configuration as sections of string values, before typing and validation:
/// `[section: [key: value]]`.
///
/// Endpoint and manager configurations arrive either as INI text or as a JSON object of sections
/// (`{"endpoint": {"url": "tcp://8080"}, "scaling": {"max_instances": 3}}`); both end up here, and
/// ``EndpointConfig`` / ``ManagerConfig`` give the typed, validated view.
public struct ConfigDocument: Sendable, Hashable {
    /// `[section: [key: value]]`.
    public var sections: [String: [String: String]]

    /// - Parameter sections: the sections; defaults to none.
    public init(_ sections: [String: [String: String]] = [:]) {
        self.sections = sections
    }

    /// The keys of one section, if present.
    public subscript(section: String) -> [String: String]? {
        sections[section]
    }

    /// Parses INI text (see ``INIParser``).
    public init(ini text: String) throws(INIError) {
        self.init(try INIParser.parse(text))
    }

    /// Reads a JSON object of sections.
    ///
    /// Values may be strings, numbers (`10`, `0.5`) or booleans (`true`), all stored as their text;
    /// `null` means "not set" and is dropped. Arrays and objects inside a section are an error for
    /// that key; a section that is not an object is an error for the whole section; a document that
    /// is not an object at all is reported under section `""`.
    /// - Throws: ``ConfigErrors`` listing every bad key.
    public init(json: JSONValue) throws(ConfigErrors) {
        var errors = ConfigErrors()
        guard case .object(let top) = json else {
            errors.add("a configuration must be a JSON object of sections", section: "", key: ConfigErrors.wholeSection)
            throw errors
        }
        var sections: [String: [String: String]] = [:]
        for (name, body) in top {
            guard case .object(let members) = body else {
                errors.add("a section must be a JSON object of settings", section: name)
                continue
            }
            var values: [String: String] = [:]
            for (key, value) in members {
                switch value {
                case .null: continue
                case .string(let text): values[key] = text
                case .bool(let flag): values[key] = flag ? "true" : "false"
                case .number(let number) where number.isFinite: values[key] = NumberText.plain(number)
                case .number: errors.add("must be a finite number", section: name, key: key)
                case .array, .object:
                    errors.add("must be a string, number or boolean, not a nested JSON value", section: name, key: key)
                }
            }
            sections[name] = values
        }
        guard errors.isEmpty else { throw errors }
        self.init(sections)
    }

    /// Reads a request body: a JSON object when its first non-blank character is `{`, INI otherwise.
    ///
    /// - Throws: ``ConfigBodyError/unreadable(_:)`` for text that is neither valid JSON nor valid INI,
    ///   ``ConfigBodyError/invalid(_:)`` for JSON with values of the wrong shape.
    public init(body: Data) throws(ConfigBodyError) {
        guard let text = String(data: body, encoding: .utf8) else {
            throw .unreadable("configuration is not UTF-8 text")
        }
        if text.trimmingWhitespace().hasPrefix("{") {
            let json: JSONValue
            do {
                json = try JSONValue(parsing: body)
            } catch {
                throw .unreadable(Self.jsonProblem(error))
            }
            do { try self.init(json: json) } catch { throw .invalid(error) }
        } else {
            do { try self.init(ini: text) } catch { throw .unreadable("configuration is not valid INI: \(error)") }
        }
    }

    private static func jsonProblem(_ error: any Error) -> String {
        if let syntax = error as? StrictJSONSyntax.Failure { return "configuration is not valid JSON: \(syntax)" }
        // Foundation's decoding errors print as nested enum dumps; keep only the readable part.
        guard case DecodingError.dataCorrupted(let context) = error else {
            return "configuration is not valid JSON"
        }
        let detail = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
        return "configuration is not valid JSON: \(context.debugDescription)\(detail)"
    }

    /// The JSON object of sections with every value as a string.
    public var jsonValue: JSONValue {
        .object(sections.mapValues { .object($0.mapValues { .string($0) }) })
    }

    /// INI text with sections and keys sorted.
    public var iniText: String {
        sections.sorted { $0.key < $1.key }.map { name, values in
            (["[\(name)]"] + values.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" })
                .joined(separator: "\n")
        }.joined(separator: "\n\n") + (sections.isEmpty ? "" : "\n")
    }
}

/// Why a configuration body could not be read.
public enum ConfigBodyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not JSON or INI at all; the message says where it went wrong.
    case unreadable(String)
    /// Readable, but some values have the wrong shape.
    case invalid(ConfigErrors)

    public var description: String {
        switch self {
        case .unreadable(let message): message
        case .invalid(let errors): errors.description
        }
    }
}
