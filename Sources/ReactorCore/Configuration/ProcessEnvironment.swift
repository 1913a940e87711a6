/// `[cloud:process] environment`: variables an endpoint gives its instance processes, as a list
/// `NAME=value, NAME=value` (a value cannot hold a comma).
///
/// Instances never inherit the manager's own environment (which may hold keys and ZooKeeper
/// credentials); they get `PATH`, the `REACTOR_*` variables the cloud sets, and these.
public enum ProcessEnvironment {
    /// The setting's key in `[cloud:process]`.
    public static let key = "environment"

    /// The variables in `text`.
    ///
    /// - Throws: ``ProcessEnvironmentError`` naming the first entry that is not `NAME=value` with a
    ///   shell-style name, names a `REACTOR_` variable (the cloud sets those), repeats a name, or
    ///   holds a control character.
    public static func parse(_ text: String) throws(ProcessEnvironmentError) -> [String: String] {
        var result: [String: String] = [:]
        for entry in text.split(separator: ",") {
            let item = entry.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
            guard !item.isEmpty else { continue }
            let text = String(item)
            guard let equals = text.firstIndex(of: "=") else {
                throw ProcessEnvironmentError("'\(text)': expected NAME=value")
            }
            let name = String(text[..<equals])
            let value = String(text[text.index(after: equals)...])
            guard isName(name) else {
                throw ProcessEnvironmentError(
                    "'\(name)': a variable name is letters, digits and _, not starting with a digit")
            }
            guard !name.hasPrefix("REACTOR_") else {
                throw ProcessEnvironmentError("'\(name)': REACTOR_ variables are set by the cloud")
            }
            guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw ProcessEnvironmentError("'\(name)': the value holds a control character")
            }
            guard result.updateValue(value, forKey: name) == nil else {
                throw ProcessEnvironmentError("'\(name)' is given twice")
            }
        }
        return result
    }

    private static func isName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
        }
    }
}

/// A `[cloud:process] environment` entry that cannot be used; the message names it.
public struct ProcessEnvironmentError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
