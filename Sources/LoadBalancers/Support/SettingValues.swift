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
            && text.allSatisfy {
                $0.isASCII && !$0.isWhitespace && !"\"'\\$;{}#".contains($0) && ($0.asciiValue ?? 0) >= 32
            }
    }

    /// Milliseconds, as nginx and haproxy both accept them (`1500ms`).
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)ms"
    }
}

/// A driver's error that can say a settings key has a value out of form.
protocol InvalidSettingError: Error {
    static func invalidSetting(key: String, value: String, expected: String) -> Self
    /// The key, its value and what it takes, when this is `.invalidSetting`.
    var invalidSetting: (key: String, value: String, expected: String)? { get }
}

/// Reads the keys of one `[loadbalancer:…]` section, each `nil` when absent, throwing the driver's own
/// error (naming the key, the value and what it takes) for a value out of form.
struct SettingsReader<Failure: InvalidSettingError> {
    let section: [String: String]

    /// `key` read by `parse`; a value `parse` refuses is out of form, and `expected` says what it takes.
    func value<Value>(_ key: String, expected: String, _ parse: (String) -> Value?) throws(Failure) -> Value? {
        guard let text = section[key] else { return nil }
        guard let value = parse(text) else { throw .invalidSetting(key: key, value: text, expected: expected) }
        return value
    }

    /// `balance`: `roundrobin` or `leastconn`, in any case.
    func algorithm() throws(Failure) -> BalancingAlgorithm? {
        try value("balance", expected: "roundrobin or leastconn") { BalancingAlgorithm(rawValue: $0.lowercased()) }
    }

    /// One of `Choice`'s raw values, in any case.
    func choice<Choice: RawRepresentable<String>>(_ key: String, expected: String) throws(Failure) -> Choice? {
        try value(key, expected: expected) { Choice(rawValue: $0.lowercased()) }
    }

    func bool(_ key: String) throws(Failure) -> Bool? {
        try value(key, expected: SettingValues.boolForms, SettingValues.bool)
    }

    /// A whole number of milliseconds within `range`.
    func milliseconds(_ key: String, within range: ClosedRange<Int>) throws(Failure) -> Duration? {
        try value(key, expected: "a whole number of milliseconds from \(range.lowerBound) to \(range.upperBound)") {
            guard let value = Int($0), range.contains(value) else { return nil }
            return .milliseconds(value)
        }
    }

    /// A number of seconds within `range`.
    func seconds(_ key: String, within range: ClosedRange<Double>) throws(Failure) -> Duration? {
        try value(key, expected: "a number of seconds from \(range.lowerBound) to \(Int(range.upperBound))") {
            SettingValues.seconds($0, within: range)
        }
    }
}
