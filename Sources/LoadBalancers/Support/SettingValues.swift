/// Parsers for the value forms shared by the drivers' settings sections.
enum SettingValues {
    static let boolForms = "true or false (also yes/no, on/off, 1/0)"

    static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0": false
        default: nil
        }
    }

    /// A number of seconds within `range`, as a duration in milliseconds.
    static func seconds(_ text: String, within range: ClosedRange<Double>) -> Duration? {
        guard let seconds = Double(text), range.contains(seconds) else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// An absolute path that a configuration file can carry unquoted (and nginx will not read as a variable).
    static func isPlainPath(_ text: String) -> Bool {
        text.hasPrefix("/")
            && text.allSatisfy { $0.isASCII && !$0.isWhitespace && !"\"'\\$;{}#".contains($0) && ($0.asciiValue ?? 0) >= 32 }
    }

    /// Milliseconds, as nginx and haproxy both accept them (`1500ms`).
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)ms"
    }
}
