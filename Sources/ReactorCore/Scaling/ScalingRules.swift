/// An ordered list of scaling rules, as written in `[scaling] rules`.
///
/// Order matters: when rules conflict, the earlier one wins (see ``ScalingDecision``).
public struct ScalingRules: Sendable, Hashable, CustomStringConvertible {
    /// The rules in the order they were written.
    public var rules: [ScalingRule]

    /// - Parameter rules: the rules, earliest (strongest) first. Defaults to no rules.
    public init(_ rules: [ScalingRule] = []) {
        self.rules = rules
    }

    /// Parses a comma-separated rule list such as `10 <= active <= 30, response < 300`.
    ///
    /// An empty or all-blank string means "no rules".
    /// - Throws: ``ScalingRuleError`` naming the first bad rule, its text and what was expected.
    public static func parse(_ text: String) throws(ScalingRuleError) -> ScalingRules {
        if text.allSatisfy(\.isWhitespace) { return ScalingRules() }
        var rules: [ScalingRule] = []
        for (offset, piece) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let ruleText = piece.trimmingWhitespace()
            var parser = ScalingRuleParser(text: ruleText, index: offset + 1)
            rules.append(try parser.parse())
        }
        return ScalingRules(rules)
    }

    /// The canonical spelling: each rule's canonical form joined by `, `.
    public var description: String {
        rules.map(\.description).joined(separator: ", ")
    }

    /// Whether there are no rules.
    public var isEmpty: Bool { rules.isEmpty }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
