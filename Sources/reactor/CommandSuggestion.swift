import ArgumentParser
import Foundation

/// A mistyped command named with the close match (`endpoint` → `endpoints`), rather than only
/// "unexpected argument".
enum CommandSuggestion {
    /// The message for `arguments` when their first word is no command but close to one; nil otherwise.
    static func message(for arguments: [String], commands: [String]) -> String? {
        guard let word = arguments.first, !word.hasPrefix("-"), !commands.contains(word) else { return nil }
        let close = commands.map { ($0, distance(word, $0)) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }
        guard let (command, _) = close else { return nil }
        return "Error: unknown command '\(word)'; did you mean '\(command)'? (see reactor --help)"
    }

    /// Levenshtein distance between two words.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
