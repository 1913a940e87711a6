import Foundation
import ReactorCore
import Testing

/// Every worked example of docs/configuration.md (`POST /v1.1/scaling/evaluate`, a body, and
/// `→` the members of the answer it shows) is what the decision code answers.
@Suite("Documented scaling examples")
struct DocsExamplesTests {
    struct Example: Sendable, CustomTestStringConvertible {
        var line: Int
        var body: String
        var expected: String
        var testDescription: String { "docs/configuration.md:\(line)" }
    }

    static let document = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/configuration.md")

    static var examples: [Example] {
        guard let text = try? String(contentsOf: document, encoding: .utf8) else { return [] }
        var examples: [Example] = []
        var current: (line: Int, body: [String])?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line == "POST /v1.1/scaling/evaluate" {
                current = (index + 1, [])
            } else if line.hasPrefix("→ "), let open = current {
                examples.append(
                    Example(
                        line: open.line, body: open.body.joined(separator: "\n"),
                        expected: String(line.dropFirst(2))))
                current = nil
            } else if current != nil {
                current?.body.append(String(line))
            }
        }
        return examples
    }

    @Test("the document has worked examples")
    func found() {
        #expect(Self.examples.count >= 20, "expected the worked examples, found \(Self.examples.count)")
    }

    @Test("each worked example is what the code answers", arguments: examples)
    func example(_ example: Example) throws {
        let answer = try ScalingEvaluation(json: try JSONValue(parsing: example.body)).answer.objectValue ?? [:]
        let expected = try #require(try JSONValue(parsing: example.expected).objectValue, "an object after →")
        for (key, value) in expected.sorted(by: { $0.key < $1.key }) {
            if key == "outcomes" {
                let outcomes = answer["steps"]?.arrayValue?.map { $0.objectValue?["outcome"] ?? .null }
                #expect(outcomes.map(JSONValue.array) == value, "outcomes: answered \(answer)")
            } else {
                #expect(
                    answer[key] == value,
                    "\(key): documented \(value.jsonText), answered \(answer[key]?.jsonText ?? "-")")
            }
        }
    }
}
