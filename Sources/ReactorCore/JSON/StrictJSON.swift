/// What the strict reading of JSON refuses that Foundation's decoder lets through.
public enum StrictJSONError: Error, Hashable, CustomStringConvertible {
    /// A comma right before `]` or `}` (`{"a": 1,}`), at this byte offset.
    case trailingComma(offset: Int)

    public var description: String {
        switch self {
        case .trailingComma(let offset): "a trailing comma at byte \(offset) (JSON allows none)"
        }
    }
}

/// Checks the parts of JSON syntax Foundation's decoder is lenient about, so that a body the
/// API accepts is one every JSON reader accepts.
enum StrictJSON {
    /// - Throws: ``StrictJSONError/trailingComma(offset:)`` at the first comma that closes nothing.
    static func check(_ bytes: some Sequence<UInt8>) throws(StrictJSONError) {
        var inString = false
        var escaped = false
        var pendingComma: Int?
        for (offset, byte) in bytes.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                continue
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if let comma = pendingComma { throw .trailingComma(offset: comma) }
            case UInt8(ascii: ","):
                pendingComma = offset
                continue
            case UInt8(ascii: "\""):
                inString = true
            default:
                break
            }
            pendingComma = nil
        }
    }
}
