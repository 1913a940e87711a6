import Foundation
import ReactorCore
import Testing

@Suite("JSON value")
struct JSONValueTests {
    @Test("decodes every JSON kind, keeping booleans apart from numbers")
    func decodes() throws {
        let value = try JSONValue(parsing: #"{"a": [1, 2.5, true, null, "x"], "b": {"c": false}}"#)
        let expected: JSONValue = ["a": [1, 2.5, true, nil, "x"], "b": ["c": false]]
        #expect(value == expected, "expected \(expected.jsonText), got \(value.jsonText)")
    }

    @Test("refuses trailing commas, outside strings only")
    func refusesTrailingCommas() throws {
        for text in [#"{"a": 1,}"#, "[1, 2 ,\n]", #"{"a": [1,], "b": 2}"#] {
            #expect(throws: StrictJSONSyntax.Failure.self, "\(text) has a trailing comma") {
                try JSONValue(parsing: text)
            }
        }
        let value = try JSONValue(parsing: #"{"a": ",}", "b": "\\\",]"}"#)
        #expect(value == ["a": ",}", "b": "\\\",]"], "commas inside strings are text: \(value.jsonText)")
    }

    @Test("encodes compactly with sorted keys and round-trips")
    func encodes() throws {
        let value: JSONValue = ["b": [1, "two"], "a": ["url": "http://x/y"]]
        #expect(value.jsonText == #"{"a":{"url":"http://x/y"},"b":[1,"two"]}"#)
        #expect(try JSONValue(parsing: value.encoded()) == value, "expected a lossless round trip")
    }

    @Test("rejects text that is not JSON")
    func rejectsGarbage() {
        #expect(throws: (any Error).self, "expected '{oops' to fail to decode") {
            try JSONValue(parsing: "{oops")
        }
    }

    @Test("validJSON: the value when it is JSON, nil when it is not, by the same strict rules")
    func validJSONIsAnAnswer() {
        #expect(JSONValue(validJSON: #"{"a": [1, "x"]}"#) == ["a": [1, "x"]])
        #expect(JSONValue(validJSON: Data("true".utf8)) == true, "a top-level scalar is JSON")
        #expect(JSONValue(validJSON: "{oops") == nil, "written by hand")
        #expect(JSONValue(validJSON: "[1, 2,]") == nil, "a trailing comma is not JSON here either")
        #expect(JSONValue(validJSON: "") == nil)
    }
}

@Suite struct StrictJSONSyntaxTests {
    @Test(arguments: [
        #"{"a": 1,}"#, "[1, 2,]", "[,]", #"{"a" 1}"#, "01", "1.", "-", ".5", "1e", #""\x""#, "\"a\u{1}\"",
        "[1] 2", "", "tru", "NaN", #"{'a': 1}"#, #""\u12G4""#, #"{"a": 1,, "b": 2}"#,
    ])
    func notJSONIsRefused(_ text: String) {
        #expect(throws: StrictJSONSyntax.Failure.self, "\(text.debugDescription) is not JSON") {
            try StrictJSONSyntax.check(Array(text.utf8))
        }
        #expect(throws: (any Error).self) { try JSONValue(parsing: text) }
    }

    @Test(arguments: [
        "{}", "[]", #" {"a": [1, -2.5e+3, 0, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9"], "b": {}} "#, "0",
        "-12.5E-7", #""""#, "[[[]]]", "\"ünïcode ✓\"",
    ])
    func jsonIsAccepted(_ text: String) throws {
        try StrictJSONSyntax.check(Array(text.utf8))
        _ = try JSONValue(parsing: text)
    }

    @Test func theTrailingCommaIsNamed() {
        let failure = #expect(throws: StrictJSONSyntax.Failure.self) {
            try StrictJSONSyntax.check(Array(#"{"endpoint": {"url": "tcp://:80",}}"#.utf8))
        }
        #expect(failure?.description == "a trailing comma is not JSON at byte 33", "\(String(describing: failure))")
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: StrictJSONSyntax.Failure.self, "nesting is bounded") {
            try StrictJSONSyntax.check(Array(deep.utf8))
        }
    }
}
