import Foundation
import ReactorCore
import Testing

@Suite("Config document")
struct ConfigDocumentTests {
    @Test("JSON scalars become strings; null is dropped")
    func jsonScalars() throws {
        let json: JSONValue = [
            "scaling": ["max_instances": 3, "rules": "rate < 5"],
            "endpoint": [
                "weight": 0.5, "url": nil, "flag": true,
            ],
        ]
        let document = try ConfigDocument(json: json)
        #expect(document["scaling"] == ["max_instances": "3", "rules": "rate < 5"])
        #expect(document["endpoint"] == ["weight": "0.5", "flag": "true"], "expected null url to be dropped")
    }

    @Test("nested values are errors for their key; non-object sections for the section")
    func jsonShapeErrors() {
        let json: JSONValue = ["endpoint": ["url": ["a"], "port": ["x": 1]], "scaling": "nope"]
        do {
            _ = try ConfigDocument(json: json)
            Issue.record("expected nested values to be rejected")
        } catch {
            let nested = "must be a string, number or boolean, not a nested JSON value"
            #expect(error["endpoint", "url"] == nested, "expected an error on endpoint.url")
            #expect(error["endpoint", "port"] == nested, "expected an error on endpoint.port")
            #expect(error["scaling", ConfigErrors.wholeSection] == "a section must be a JSON object of settings")
        }
    }

    @Test("a body is read as JSON when it starts with '{', as INI otherwise")
    func bodies() throws {
        let json = try ConfigDocument(body: Data(#" {"manager": {"interval": 5}}"#.utf8))
        let ini = try ConfigDocument(body: Data("[manager]\ninterval = 5\n".utf8))
        #expect(json == ini, "expected JSON and INI forms to give the same document")
        #expect(try ConfigDocument(body: Data()) == ConfigDocument(), "expected an empty body to be empty")
    }

    @Test("unreadable bodies say what they are not")
    func unreadableBodies() {
        let message = "configuration is not valid INI: line 1: key 'a' is outside any [section]"
        #expect(throws: ConfigBodyError.unreadable(message)) {
            try ConfigDocument(body: Data("a = b".utf8))
        }
        do {
            _ = try ConfigDocument(body: Data("{oops".utf8))
            Issue.record("expected broken JSON to be unreadable")
        } catch {
            #expect(error.description.hasPrefix("configuration is not valid JSON"), "expected a JSON message: \(error)")
        }
        #expect(throws: ConfigErrors.self, "expected a JSON array to be rejected as a configuration") {
            try ConfigDocument(json: [1, 2])
        }
        #expect(throws: ConfigBodyError.self, "expected non-UTF-8 to be unreadable") {
            try ConfigDocument(body: Data([0xFF, 0xFE]))
        }
    }

    @Test("INI rendering is sorted and parses back")
    func iniRoundTrip() throws {
        let document = ConfigDocument([
            "scaling": ["rules": "rate < 5", "max_instances": "3"], "endpoint": ["url": "tcp://80"],
        ])
        #expect(document.iniText == "[endpoint]\nurl = tcp://80\n\n[scaling]\nmax_instances = 3\nrules = rate < 5\n")
        #expect(try ConfigDocument(ini: document.iniText) == document, "expected the INI text to parse back")
    }

    @Test("errors render as the API body and as text")
    func errorRendering() {
        var errors = ConfigErrors()
        errors.add("must be a whole number, got 'x'", section: "scaling", key: "ramp_limit")
        errors.add("second message is ignored", section: "scaling", key: "ramp_limit")
        errors.add("unknown section", section: "bogus")
        let body: JSONValue = [
            "scaling": ["ramp_limit": "must be a whole number, got 'x'"], "bogus": ["*": "unknown section"],
        ]
        #expect(errors.jsonValue == body, "expected the first message per key in the API body")
        #expect(errors.description == "[bogus]: unknown section\n[scaling] ramp_limit: must be a whole number, got 'x'")
    }
}
