/// An IPv4 or IPv6 address as used in `/register/<ip>`, `/metrics/<ip>` and `static_instances`.
///
/// Parsing is strict so that one instance cannot appear under two spellings: IPv4 must be a dotted
/// quad of decimal numbers without leading zeros (`10.0.0.1`, not `010.0.0.1`); IPv6 follows RFC 4291
/// text form (one `::`, optional trailing dotted quad) without zone ids. ``description`` gives the
/// canonical spelling (RFC 5952 for IPv6: lowercase, zeros suppressed, longest zero run as `::`).
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(UInt8, UInt8, UInt8, UInt8)
    /// Eight 16-bit groups, most significant first.
    case v6([UInt16])

    /// Parses `text`; returns `nil` when it is not an address.
    public init?(_ text: String) {
        if let v4 = Self.parseIPv4(Substring(text)) {
            self = .v4(v4[0], v4[1], v4[2], v4[3])
        } else if let v6 = Self.parseIPv6(text) {
            self = .v6(v6)
        } else {
            return nil
        }
    }

    /// Whether `text` is an IPv4 or IPv6 address.
    public static func isValid(_ text: String) -> Bool {
        IPAddress(text) != nil
    }

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool { if case .v4 = self { true } else { false } }

    /// The canonical text form.
    public var description: String {
        switch self {
        case .v4(let a, let b, let c, let d):
            return "\(a).\(b).\(c).\(d)"
        case .v6(let groups):
            return Self.canonicalIPv6(groups)
        }
    }

    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0 >= "0" && $0 <= "9" }),
                part == "0" || !part.hasPrefix("0"), let value = UInt8(part)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func parseIPv6(_ text: String) -> [UInt16]? {
        guard text.contains(":"), text.utf8.count <= 45 else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        guard var head = groups(halves[0], allowIPv4Tail: halves.count == 1) else { return nil }
        if halves.count == 1 {
            return head.count == 8 ? head : nil
        }
        guard let tail = groups(halves[1], allowIPv4Tail: true), head.count + tail.count <= 7 else {
            return nil
        }
        head += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        return head
    }

    /// The 16-bit groups of a colon-separated run (empty run → no groups).
    private static func groups(_ run: String, allowIPv4Tail: Bool) -> [UInt16]? {
        if run.isEmpty { return [] }
        let parts = run.split(separator: ":", omittingEmptySubsequences: false)
        var result: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if index == parts.count - 1, allowIPv4Tail, part.contains(".") {
                guard let v4 = parseIPv4(part) else { return nil }
                result.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                result.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
            } else {
                guard (1...4).contains(part.count), part.allSatisfy(\.isHexDigit),
                    let value = UInt16(part, radix: 16)
                else { return nil }
                result.append(value)
            }
        }
        return result
    }

    private static func canonicalIPv6(_ groups: [UInt16]) -> String {
        // Longest run of at least two zero groups; the first one wins a tie (RFC 5952 §4.2.3).
        var best: Range<Int>?
        var start: Int?
        for index in 0...groups.count {
            if index < groups.count, groups[index] == 0 {
                if start == nil { start = index }
            } else if let runStart = start {
                if index - runStart >= 2, index - runStart > (best?.count ?? 0) { best = runStart..<index }
                start = nil
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard let best else { return hex.joined(separator: ":") }
        let head = hex[..<best.lowerBound].joined(separator: ":")
        let tail = hex[best.upperBound...].joined(separator: ":")
        return head + "::" + tail
    }
}
