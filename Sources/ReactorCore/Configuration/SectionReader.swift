/// Reads typed values from one section, recording a message in ``ConfigErrors`` for each bad value
/// and returning `nil` for it, so one validation pass reports every problem at once.
///
/// A key with an empty (or all-blank) value counts as not set.
struct SectionReader {
    let section: String
    let values: [String: String]

    init(_ section: String, in document: ConfigDocument) {
        self.section = section
        self.values = document[section] ?? [:]
    }

    init(_ section: String, values: [String: String]) {
        self.section = section
        self.values = values
    }

    /// Reports keys outside `known`.
    func rejectUnknownKeys(_ known: [String], into errors: inout ConfigErrors) {
        for key in values.keys.sorted() where !known.contains(key) {
            errors.add(KeySuggestion.unknownKeyMessage(key, known: known, in: section), section: section, key: key)
        }
    }

    func string(_ key: String) -> String? {
        guard let value = values[key]?.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }

    /// A whole number within `range`.
    func integer(_ key: String, in range: ClosedRange<Int>, errors: inout ConfigErrors) -> Int? {
        guard let text = string(key) else { return nil }
        guard let value = Int(text) else {
            errors.add("must be a whole number, got '\(text)'", section: section, key: key)
            return nil
        }
        guard range.contains(value) else {
            errors.add(Self.rangeMessage(value: text, range: range), section: section, key: key)
            return nil
        }
        return value
    }

    /// `true` or `false` (any case; JSON booleans arrive as this text).
    func boolean(_ key: String, errors: inout ConfigErrors) -> Bool? {
        guard let text = string(key) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            errors.add("must be true or false, got '\(text)'", section: section, key: key)
            return nil
        }
    }

    /// A finite number at least `minimum` (or above it when `exclusive`).
    func number(_ key: String, minimum: Double, exclusive: Bool = false, errors: inout ConfigErrors) -> Double? {
        guard let text = string(key) else { return nil }
        guard let value = Double(text), value.isFinite else {
            errors.add("must be a number, got '\(text)'", section: section, key: key)
            return nil
        }
        guard exclusive ? value > minimum : value >= minimum else {
            let relation = exclusive ? "greater than" : "at least"
            errors.add("must be \(relation) \(NumberText.plain(minimum)), got \(text)", section: section, key: key)
            return nil
        }
        return value
    }

    /// A comma-separated list; blank items are dropped.
    func list(_ key: String) -> [String]? {
        guard let raw = values[key] else { return nil }
        return raw.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    private static func rangeMessage(value: String, range: ClosedRange<Int>) -> String {
        if range.lowerBound == 0, value.hasPrefix("-") { return "must not be negative, got \(value)" }
        if range.upperBound == Int.max { return "must be at least \(range.lowerBound), got \(value)" }
        return "must be between \(range.lowerBound) and \(range.upperBound), got \(value)"
    }
}
