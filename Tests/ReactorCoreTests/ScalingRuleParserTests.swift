import ReactorCore
import Testing

@Suite("Scaling rule parser")
struct ScalingRuleParserTests {
    @Test("blank text means no rules", arguments: ["", "   ", "\t\n"])
    func blankIsNoRules(text: String) throws {
        let rules = try ScalingRules.parse(text)
        #expect(rules.isEmpty, "expected no rules for \(text.debugDescription), got \(rules)")
    }

    @Test(
        "valid rules parse to their canonical spelling",
        arguments: [
            ("10 <= active <= 30, response < 300", "10 <= active <= 30, response < 300"),
            ("2 <= instances <= 10", "2 <= instances <= 10"),
            ("rate < 100", "rate < 100"),
            ("0.5 < cpu", "0.5 < cpu"),
            ("  10<=active<=30  ,rate<5", "10 <= active <= 30, rate < 5"),
            ("active <= 1e3", "active <= 1000"),
            ("cpu.load_1-m < .5", "cpu.load_1-m < 0.5"),
            ("10 <= active <= 10", "10 <= active <= 10"),
            ("instances < 0.5", "instances < 0.5"),
        ])
    func validRules(text: String, canonical: String) throws {
        let rules = try ScalingRules.parse(text)
        #expect(rules.description == canonical, "expected '\(text)' to read as '\(canonical)'")
    }

    @Test("bounds and strictness are kept")
    func boundsAndStrictness() throws {
        let rules = try ScalingRules.parse("10 <= active < 30, 0.5 < cpu")
        #expect(rules.rules.count == 2, "expected two rules")
        let active = rules.rules[0]
        #expect(active.metric == "active")
        #expect(active.lower == ScalingRule.Bound(10, strict: false), "expected lower bound 10 (<=)")
        #expect(active.upper == ScalingRule.Bound(30, strict: true), "expected upper bound 30 (<)")
        let cpu = rules.rules[1]
        #expect(cpu.lower == ScalingRule.Bound(0.5, strict: true), "expected lower bound 0.5 (<)")
        #expect(cpu.upper == nil, "expected no upper bound on cpu")
        #expect(!cpu.isInstanceCountRule && ScalingRule(metric: "instances").isInstanceCountRule)
    }

    @Test(
        "malformed rules name the rule and what was expected",
        arguments: [
            ("10 <= active <= 30, active <=", "rule 2 'active <=': expected a number after '<='"),
            ("10 <= active <= 30,, rate < 5", "rule 2: empty rule (nothing between commas, or a trailing comma)"),
            ("rate < 5,", "rule 2: empty rule (nothing between commas, or a trailing comma)"),
            ("<= 30", "rule 1 '<= 30': expected a number or a metric name at the start, found '<='"),
            ("10 <= <= 30", "rule 1 '10 <= <= 30': expected a metric name after '<=', found '<='"),
            ("10 <=", "rule 1 '10 <=': expected a metric name after '<='"),
            ("10 <= 30", "rule 1 '10 <= 30': expected a metric name after '<=', found '30'"),
            ("active", "rule 1 'active': expected a bound: write 'min <= active', 'active <= max' or both"),
            ("10 active 30", "rule 1 '10 active 30': expected '<' or '<=' after '10', found 'active'"),
            ("active 30", "rule 1 'active 30': expected '<' or '<=' after 'active', found '30'"),
            (
                "active > 10",
                "rule 1 'active > 10': '>' is not supported: write bounds with '<' or '<=', e.g. '10 <= active <= 30'"
            ),
            (
                "30 >= active",
                "rule 1 '30 >= active': '>=' is not supported: write bounds with '<' or '<=', e.g. '10 <= active <= 30'"
            ),
            ("active = 10", "rule 1 'active = 10': '=' is not supported: a rule bounds a metric with '<' or '<='"),
            ("30 <= active <= 10", "rule 1 '30 <= active <= 10': lower bound 30 is greater than upper bound 10"),
            (
                "10 < active <= 10",
                "rule 1 '10 < active <= 10': bounds leave no allowed value: '10 < active <= 10' can never hold"
            ),
            ("active <= 1e999", "rule 1 'active <= 1e999': number '1e999' is not finite (column 11)"),
            ("active <= inf", "rule 1 'active <= inf': 'inf' is not a finite number"),
            ("active <= -5", "rule 1 'active <= -5': negative bounds are not allowed (column 11)"),
            ("act!ve < 3", "rule 1 'act!ve < 3': unexpected character '!' at column 4"),
            (
                "active < 0",
                "rule 1 'active < 0': the upper bound of metric 'active' must be at least 0 (and not '< 0')"
            ),
            (
                "2.2 <= instances <= 2.8",
                "rule 1 '2.2 <= instances <= 2.8': no whole number of instances satisfies '2.2 <= instances <= 2.8'"
            ),
            ("1 < active < 2 < 3", "rule 1 '1 < active < 2 < 3': unexpected '<' after the upper bound"),
            ("rate < 1, active <= 10 20", "rule 2 'active <= 10 20': unexpected '20' after the upper bound"),
        ])
    func malformedRules(text: String, message: String) {
        #expect(throws: ScalingRuleError.self, "expected '\(text)' to be rejected") {
            try ScalingRules.parse(text)
        }
        do {
            _ = try ScalingRules.parse(text)
        } catch {
            #expect(error.message == message, "expected message: \(message)")
        }
    }

    @Test("errors carry the rule index, text and column")
    func errorFields() {
        do {
            _ = try ScalingRules.parse("rate < 1, act!ve < 3")
            Issue.record("expected a parse error for 'act!ve'")
        } catch {
            #expect(error.ruleIndex == 2, "expected rule 2")
            #expect(error.ruleText == "act!ve < 3", "expected the trimmed rule text")
            #expect(error.column == 4, "expected column 4 for '!'")
        }
    }
}
