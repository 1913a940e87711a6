import Foundation
import ReactorCore

#if canImport(Glibc)
import Glibc
#endif

/// How client commands print: aligned tables and short lines for people, the API's JSON
/// (pretty-printed, keys sorted) with `--json`.
struct ClientOutput: Sendable {
    /// Whether `--json` was given.
    let json: Bool

    /// Prints `value` as pretty JSON.
    func printJSON(_ value: JSONValue) {
        print(Self.pretty(value))
    }

    /// Prints rows under a header, columns aligned (two spaces apart); the last column is not padded.
    func printTable(_ header: [String], _ rows: [[String]]) {
        for line in Self.aligned([header] + rows) { print(line) }
    }

    /// Prints `label  value` lines with the values aligned.
    func printFields(_ fields: [(String, String)]) {
        for line in Self.aligned(fields.map { [$0.0 + ":", $0.1] }) { print(line) }
    }

    /// Prints a confirmation line (not with `--json`: a script reads the exit status).
    func done(_ message: String) {
        if !json { print(message) }
    }

    /// `value` as JSON with two-space indentation and sorted keys; empty arrays and objects stay
    /// on one line (`[]`, `{}`).
    static func pretty(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .array(let items) where !items.isEmpty:
            let lines = items.map { inner + pretty($0, indent: inner) }
            return "[\n" + lines.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let members) where !members.isEmpty:
            let lines = members.sorted { $0.key < $1.key }.map { key, member in
                inner + JSONValue.string(key).jsonText + ": " + pretty(member, indent: inner)
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n" + indent + "}"
        default:
            return value.jsonText
        }
    }

    /// Rows as lines with their columns aligned.
    static func aligned(_ all: [[String]]) -> [String] {
        let columns = all.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
    }

    /// `10` for whole numbers, `0.5` otherwise (as configurations and logs spell them).
    static func number(_ value: Double) -> String { NumberText.plain(value) }

    /// A JSON value as a table cell: strings bare, numbers plain, `-` for null, compact JSON otherwise.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: "-"
        case .string(let string): string
        case .number(let value): number(value)
        case .bool(let flag): flag ? "true" : "false"
        case .array(let items): items.map { Self.text($0) }.joined(separator: ", ")
        case .object: value.jsonText
        }
    }

    /// A log timestamp (seconds since 1970) in local time, `2024-11-29 13:30:05`.
    static func time(_ timestamp: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: timestamp))
    }

    /// Writes `reactor: message` to standard error.
    static func printError(_ message: String) {
        let line = "reactor: " + message.split(whereSeparator: \.isNewline).joined(separator: "; ") + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Flushes standard output (it is block-buffered when it is not a terminal).
    static func flush() {
        fflush(nil)
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
