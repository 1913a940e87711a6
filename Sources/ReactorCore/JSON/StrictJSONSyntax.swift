/// The JSON grammar of RFC 8259, checked before a document is decoded: Foundation's parser
/// also takes trailing commas (`{"a": 1,}`), which a configuration written by hand should be
/// told about rather than have read as something else.
public enum StrictJSONSyntax {
    /// What is wrong and where (a byte offset from 0).
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "\(reason) at byte \(offset)" }
    }

    /// How deeply arrays and objects may nest.
    public static let maximumDepth = 512

    /// Checks that `bytes` are exactly one JSON value, with optional whitespace around it.
    public static func check(_ bytes: some Collection<UInt8>) throws(Failure) {
        var scanner = Scanner(bytes: Array(bytes))
        scanner.skipWhitespace()
        try scanner.value(depth: 0)
        scanner.skipWhitespace()
        if scanner.index < scanner.bytes.count { throw scanner.failure("unexpected text after the JSON value") }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        func failure(_ reason: String) -> Failure { Failure(offset: index, reason: reason) }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func value(depth: Int) throws(Failure) {
            guard let byte = current else { throw failure("a value was expected, the text ended") }
            switch byte {
            case UInt8(ascii: "{"): try container(depth: depth, close: UInt8(ascii: "}"), members: true)
            case UInt8(ascii: "["): try container(depth: depth, close: UInt8(ascii: "]"), members: false)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw failure("a value was expected")
            }
        }

        mutating func container(depth: Int, close: UInt8, members: Bool) throws(Failure) {
            guard depth < StrictJSONSyntax.maximumDepth else { throw failure("nested too deeply") }
            index += 1
            skipWhitespace()
            if current == close {
                index += 1
                return
            }
            while true {
                if members {
                    guard current == UInt8(ascii: "\"") else { throw failure("a member name in quotes was expected") }
                    try string()
                    skipWhitespace()
                    guard current == UInt8(ascii: ":") else { throw failure("':' was expected after a member name") }
                    index += 1
                    skipWhitespace()
                }
                try value(depth: depth + 1)
                skipWhitespace()
                if current == close {
                    index += 1
                    return
                }
                guard current == UInt8(ascii: ",") else {
                    throw failure("',' or '\(Character(Unicode.Scalar(close)))' was expected")
                }
                index += 1
                skipWhitespace()
                if current == close { throw failure("a trailing comma is not JSON") }
            }
        }

        mutating func string() throws(Failure) {
            index += 1
            while let byte = current {
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return
                case UInt8(ascii: "\\"):
                    index += 1
                    guard let escaped = current else { break }
                    if escaped == UInt8(ascii: "u") {
                        for offset in 1...4 {
                            guard index + offset < bytes.count, bytes[index + offset].isHexDigit else {
                                throw failure("\\u must be followed by four hex digits")
                            }
                        }
                        index += 5
                    } else if Array("\"\\/bfnrt".utf8).contains(escaped) {
                        index += 1
                    } else {
                        throw failure("unknown escape in a string")
                    }
                case 0x00..<0x20:
                    throw failure("a control character must be escaped in a string")
                default:
                    index += 1
                }
            }
            throw failure("a string is not closed")
        }

        mutating func literal(_ word: String) throws(Failure) {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw failure("a value was expected")
            }
            index += expected.count
        }

        mutating func number() throws(Failure) {
            if current == UInt8(ascii: "-") { index += 1 }
            guard let first = current, first.isDigit else { throw failure("a digit was expected in a number") }
            if first == UInt8(ascii: "0") {
                index += 1
                if let next = current, next.isDigit { throw failure("a number cannot start with 0") }
            } else {
                digits()
            }
            if current == UInt8(ascii: ".") {
                index += 1
                guard current?.isDigit == true else { throw failure("a digit was expected after '.'") }
                digits()
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard current?.isDigit == true else { throw failure("a digit was expected in an exponent") }
                digits()
            }
        }

        mutating func digits() {
            while current?.isDigit == true { index += 1 }
        }
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    fileprivate var isHexDigit: Bool {
        isDigit || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "f"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "F"))
    }
}
