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
            #expect(throws: StrictJSONError.self, "\(text) has a trailing comma") { try JSONValue(parsing: text) }
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
}
