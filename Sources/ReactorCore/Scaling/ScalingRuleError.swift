/// Why a scaling rule list could not be parsed.
///
/// The ``message`` names the rule by position and text, e.g.
/// `rule 2 'active <=': expected a number after '<='`.
public struct ScalingRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based position of the rule in the comma-separated list.
    public var ruleIndex: Int
    /// The rule's text, trimmed.
    public var ruleText: String
    /// 1-based column within ``ruleText`` where the problem was found, when it is a single place.
    public var column: Int?
    /// What was wrong, in words.
    public var reason: String

    /// - Parameters:
    ///   - ruleIndex: 1-based position in the list.
    ///   - ruleText: the trimmed rule text.
    ///   - column: 1-based column of the problem, if it is one place; default none.
    ///   - reason: what was wrong.
    public init(ruleIndex: Int, ruleText: String, column: Int? = nil, reason: String) {
        self.ruleIndex = ruleIndex
        self.ruleText = ruleText
        self.column = column
        self.reason = reason
    }

    /// The full human-readable message.
    public var message: String {
        if ruleText.isEmpty { return "rule \(ruleIndex): \(reason)" }
        return "rule \(ruleIndex) '\(ruleText)': \(reason)"
    }

    public var description: String { message }
}
