/// The known name closest to a mistyped one, for "did you mean" in error messages.
public enum KeySuggestion {
    /// The entry of `known` within two edits of `name` (the closest, then the first by name); nil
    /// when none is that close.
    public static func closest(to name: String, in known: some Sequence<String>) -> String? {
        let scored = known.map { ($0, distance(name.lowercased(), $0.lowercased())) }.filter { $0.1 <= 2 }
        return scored.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    /// `unknown key; did you mean 'command'?; known keys: …` (without the question when nothing is
    /// close), the known keys in the order given.
    public static func unknownKeyMessage(_ key: String, known: [String], in section: String? = nil) -> String {
        var text = "unknown key" + (section.map { " in [\($0)]" } ?? "")
        if let suggestion = closest(to: key, in: known) { text += "; did you mean '\(suggestion)'?" }
        return text + "; known keys: \(known.joined(separator: ", "))"
    }

    /// The Levenshtein distance of two short strings.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
