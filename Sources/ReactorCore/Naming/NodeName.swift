/// A string that can be used as one ZooKeeper znode name: an endpoint name, alias, manager name,
/// instance id or metadata key.
///
/// Rules: not empty, not `.` or `..`, no `/`, no control characters (U+0000–U+001F, U+007F–U+009F),
/// none of the characters ZooKeeper itself refuses in paths (U+E000–U+F8FF, U+FFF0–U+FFFF, and
/// everything past U+FFFF, which Java holds as surrogate pairs and ZooKeeper rejects as such), and
/// at most 255 UTF-8 bytes.
public struct NodeName: Sendable, Hashable, CustomStringConvertible {
    /// The longest accepted name in UTF-8 bytes.
    public static let maximumBytes = 255

    /// The validated name.
    public let rawValue: String

    /// Validates `name`.
    ///
    /// - Parameters:
    ///   - name: the candidate.
    ///   - kind: what the name is for, used in the error message (default `"name"`).
    /// - Throws: ``NodeNameError`` saying what is wrong.
    public init(_ name: String, kind: String = "name") throws(NodeNameError) {
        func fail(_ reason: String) -> NodeNameError {
            NodeNameError(name: name, kind: kind, reason: reason)
        }
        if name.isEmpty { throw fail("must not be empty") }
        if name == "." || name == ".." { throw fail("must not be '.' or '..'") }
        if name.contains("/") { throw fail("must not contain '/'") }
        for scalar in name.unicodeScalars where Self.isForbidden(scalar) {
            let code = String(scalar.value, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
            throw fail("must not contain the character U+\(padded)")
        }
        let bytes = name.utf8.count
        if bytes > Self.maximumBytes {
            throw fail("is \(bytes) bytes long; at most \(Self.maximumBytes) UTF-8 bytes are allowed")
        }
        rawValue = name
    }

    /// Whether `name` is a valid node name.
    public static func isValid(_ name: String) -> Bool {
        // The error says why a name is refused; here only whether it is.
        (try? NodeName(name)) != nil
    }

    public var description: String { rawValue }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0xE000...0xF8FF, 0xFFF0...: true
        default: false
        }
    }
}

/// Why a string cannot be a znode name.
public struct NodeNameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rejected name.
    public var name: String
    /// What the name was for ("endpoint name", "manager name", ...).
    public var kind: String
    /// What is wrong, e.g. `must not contain '/'`.
    public var reason: String

    /// e.g. `endpoint name 'a/b' must not contain '/'`; names with control characters are shown
    /// escaped so the message itself stays printable.
    public var message: String {
        let shown = name.unicodeScalars.map {
            $0.properties.generalCategory == .control
                ? "\\u{\(String($0.value, radix: 16))}" : String($0)
        }.joined()
        let quoted = name.isEmpty ? "" : " '\(shown.count > 80 ? String(shown.prefix(77)) + "..." : shown)'"
        return "\(kind)\(quoted) \(reason)"
    }

    public var description: String { message }
}
