/// Parses the text of a single rule; ``ScalingRules/parse(_:)`` splits the list and calls this per rule.
///
/// Grammar (whitespace between tokens is free):
/// ```
/// rule   = [number op] metric [op number]      at least one bound
/// op     = "<" | "<="
/// number = digits ["." digits] [("e"|"E") ["+"|"-"] digits]  |  "." digits ...
/// metric = [A-Za-z_] [A-Za-z0-9_.-]*
/// ```
struct ScalingRuleParser {
    private enum Token: Equatable {
        case number(Double, String)
        case identifier(String)
        case comparison(String)

        var text: String {
            switch self {
            case .number(_, let text), .identifier(let text), .comparison(let text): text
            }
        }
    }

    private let text: String
    private let index: Int
    private var tokens: [(token: Token, column: Int)] = []
    private var position = 0

    init(text: String, index: Int) {
        self.text = text
        self.index = index
    }

    mutating func parse() throws(ScalingRuleError) -> ScalingRule {
        tokens = try tokenize()
        guard !tokens.isEmpty else {
            throw fail("empty rule (nothing between commas, or a trailing comma)")
        }
        var lower: ScalingRule.Bound?
        if case .number(let value, let spelled) = tokens[0].token {
            position = 1
            let strict = try expectOperator(after: spelled)
            lower = ScalingRule.Bound(value, strict: strict)
        }
        let metric = try expectMetric()
        var upper: ScalingRule.Bound?
        if position < tokens.count {
            let strict = try expectOperator(after: metric)
            upper = ScalingRule.Bound(try expectNumber(after: strict ? "<" : "<="), strict: strict)
            if position < tokens.count {
                let extra = tokens[position]
                throw fail("unexpected '\(extra.token.text)' after the upper bound", column: extra.column)
            }
        }
        guard lower != nil || upper != nil else {
            throw fail("expected a bound: write 'min <= \(metric)', '\(metric) <= max' or both")
        }
        let rule = ScalingRule(metric: metric, lower: lower, upper: upper)
        try checkBounds(of: rule)
        return rule
    }

    // MARK: - Grammar

    private mutating func expectOperator(after previous: String) throws(ScalingRuleError) -> Bool {
        guard position < tokens.count else {
            throw fail("expected '<' or '<=' after '\(previous)'")
        }
        let (token, column) = tokens[position]
        position += 1
        switch token {
        case .comparison("<"): return true
        case .comparison("<="): return false
        case .comparison(let op) where op.hasPrefix(">"):
            throw fail(
                "'\(op)' is not supported: write bounds with '<' or '<=', e.g. '10 <= active <= 30'",
                column: column)
        case .comparison(let op):
            throw fail("'\(op)' is not supported: a rule bounds a metric with '<' or '<='", column: column)
        default:
            throw fail("expected '<' or '<=' after '\(previous)', found '\(token.text)'", column: column)
        }
    }

    private mutating func expectMetric() throws(ScalingRuleError) -> String {
        let after = position > 0 ? tokens[position - 1].token.text : nil
        guard position < tokens.count else {
            throw fail("expected a metric name after '\(after ?? "")'")
        }
        let (token, column) = tokens[position]
        position += 1
        if case .identifier(let name) = token { return name }
        if let after {
            throw fail("expected a metric name after '\(after)', found '\(token.text)'", column: column)
        }
        throw fail("expected a number or a metric name at the start, found '\(token.text)'", column: column)
    }

    private mutating func expectNumber(after op: String) throws(ScalingRuleError) -> Double {
        guard position < tokens.count else {
            throw fail("expected a number after '\(op)'")
        }
        let (token, column) = tokens[position]
        position += 1
        switch token {
        case .number(let value, _): return value
        case .identifier(let name) where ["inf", "infinity", "nan"].contains(name.lowercased()):
            throw fail("'\(name)' is not a finite number", column: column)
        default:
            throw fail("expected a number after '\(op)', found '\(token.text)'", column: column)
        }
    }

    private func checkBounds(of rule: ScalingRule) throws(ScalingRuleError) {
        if let lower = rule.lower, let upper = rule.upper {
            if lower.value > upper.value {
                throw fail(
                    "lower bound \(NumberText.plain(lower.value)) is greater than upper bound "
                        + "\(NumberText.plain(upper.value))")
            }
            if lower.value == upper.value, lower.isStrict || upper.isStrict {
                throw fail("bounds leave no allowed value: '\(rule)' can never hold")
            }
        }
        if rule.isInstanceCountRule {
            let count = InstanceCountBounds(rule)
            if let upper = count.upper, count.lower > upper {
                throw fail("no whole number of instances satisfies '\(rule)'")
            }
        } else if let upper = rule.upper, upper.value < 0 || (upper.value == 0 && upper.isStrict) {
            // `pending <= 0` is a rule (any load above 0 asks for max_instances); below 0 is not.
            throw fail("the upper bound of metric '\(rule.metric)' must be at least 0 (and not '< 0')")
        }
    }

    private func fail(_ reason: String, column: Int? = nil) -> ScalingRuleError {
        ScalingRuleError(ruleIndex: index, ruleText: text, column: column, reason: reason)
    }

    // MARK: - Tokens

    private func tokenize() throws(ScalingRuleError) -> [(token: Token, column: Int)] {
        let chars = Array(text.unicodeScalars)
        var result: [(token: Token, column: Int)] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let column = i + 1
            if c.properties.isWhitespace {
                i += 1
            } else if c == "<" || c == ">" || c == "=" {
                var op = String(c)
                if i + 1 < chars.count, chars[i + 1] == "=" {
                    op.append("=")
                    i += 1
                }
                i += 1
                result.append((.comparison(op), column))
            } else if Self.isDigit(c) || (c == "." && i + 1 < chars.count && Self.isDigit(chars[i + 1])) {
                let start = i
                i = Self.scanNumber(chars, from: i)
                let spelled = String(String.UnicodeScalarView(chars[start..<i]))
                guard let value = Double(spelled) else {
                    throw fail("'\(spelled)' is not a number (column \(column))", column: column)
                }
                guard value.isFinite else {
                    throw fail("number '\(spelled)' is not finite (column \(column))", column: column)
                }
                result.append((.number(value, spelled), column))
            } else if Self.isIdentifierStart(c) {
                let start = i
                while i < chars.count,
                    Self.isIdentifierStart(chars[i]) || Self.isDigit(chars[i])
                        || chars[i] == "." || chars[i] == "-"
                {
                    i += 1
                }
                result.append((.identifier(String(String.UnicodeScalarView(chars[start..<i]))), column))
            } else if c == "-" {
                throw fail("negative bounds are not allowed (column \(column))", column: column)
            } else {
                throw fail("unexpected character '\(c)' at column \(column)", column: column)
            }
        }
        return result
    }

    private static func scanNumber(_ chars: [Unicode.Scalar], from start: Int) -> Int {
        var i = start
        while i < chars.count, isDigit(chars[i]) { i += 1 }
        if i < chars.count, chars[i] == "." {
            i += 1
            while i < chars.count, isDigit(chars[i]) { i += 1 }
        }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            var j = i + 1
            if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
            if j < chars.count, isDigit(chars[j]) {
                while j < chars.count, isDigit(chars[j]) { j += 1 }
                i = j
            }
        }
        return i
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }
}
