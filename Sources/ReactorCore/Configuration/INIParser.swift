/// Parses INI text into sections of `key = value` pairs.
///
/// Accepted lines: `[section]`, `key = value` or `key: value` (split at the first `=` or `:`, so
/// `url = http://host:80` keeps its colon), blank lines and comments starting with `;` or `#`.
/// Keys and values are trimmed. Comments must be on their own line: `;` and `#` inside a value are
/// part of it (URLs carry `#`). Continuation lines are not supported.
public enum INIParser {
    /// - Returns: `[section: [key: value]]`; sections without keys are present and empty.
    /// - Throws: ``INIError`` with the 1-based line number of the first malformed line, of a key
    ///   outside any section, or of a repeated section or key.
    public static func parse(_ text: String) throws(INIError) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix(";") || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count >= 2 else {
                    throw INIError(line: lineNumber, message: "section header '\(line)' is missing ']'")
                }
                let name = line.dropFirst().dropLast().trimmingWhitespace()
                guard !name.isEmpty else { throw INIError(line: lineNumber, message: "empty section name '[]'") }
                guard sections[name] == nil else {
                    throw INIError(line: lineNumber, message: "duplicate section [\(name)]")
                }
                sections[name] = [:]
                current = name
                continue
            }
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw INIError(
                    line: lineNumber, message: "expected '[section]', 'key = value' or a comment, found '\(line)'")
            }
            let key = line[..<separator].trimmingWhitespace()
            let value = line[line.index(after: separator)...].trimmingWhitespace()
            guard !key.isEmpty else {
                throw INIError(line: lineNumber, message: "missing key before '\(line[separator])'")
            }
            guard let section = current else {
                throw INIError(line: lineNumber, message: "key '\(key)' is outside any [section]")
            }
            guard sections[section]?[key] == nil else {
                throw INIError(line: lineNumber, message: "duplicate key '\(key)' in [\(section)]")
            }
            sections[section, default: [:]][key] = value
        }
        return sections
    }
}

/// A malformed INI document.
public struct INIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// What is wrong with the line.
    public var message: String

    /// - Parameters:
    ///   - line: 1-based line number.
    ///   - message: what is wrong with the line.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    /// e.g. `line 3: key 'url' is outside any [section]`.
    public var description: String { "line \(line): \(message)" }
}
