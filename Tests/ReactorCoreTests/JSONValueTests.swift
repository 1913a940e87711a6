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
