import HTTPTypes
import Hummingbird
import Testing

/// Requests `scripts/fuzz-api` (schemathesis over /openapi.json) once answered with a 5xx; each
/// must now get a 4xx with a JSON message and leave ZooKeeper as it was.
@Suite struct FuzzRegressionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let method: HTTPRequest.Method
        let path: String
        var body: String? = nil
        var from: String? = nil

        var testDescription: String { label }
    }

    /// Characters past U+FFFF reach ZooKeeper as surrogate pairs, which the server refused with
    /// `badArguments` (a 500): `%F0%9F%98%80` is U+1F600, `%F1%BD%B7%85` is U+7DDC5.
    static let cases: [Case] = [
        .init(
            label: "implicit session drop, astral name", method: .delete, path: "/v1.1/endpoint/sessions/%F1%BD%B7%85",
            from: "10.0.0.9"),
        .init(
            label: "implicit session read, astral name", method: .get, path: "/v1.0/endpoint/sessions/%F0%9F%98%80",
            from: "10.0.0.9"),
        .init(
            label: "explicit session drop, astral name", method: .delete,
            path: "/v1.1/endpoints/demo/sessions/%F0%9F%98%80"),
        .init(label: "instance, astral id", method: .post, path: "/v1.1/endpoints/demo/instances/i-%F0%9F%98%80"),
        .init(label: "endpoint, astral name", method: .post, path: "/v1.1/endpoints/web%F0%9F%98%80", body: "{}"),
        .init(
            label: "alias, astral name", method: .post, path: "/v1.1/endpoints/demo/alias", body: #""w\ud83d\ude00""#),
        .init(
            label: "manager config, astral name", method: .put, path: "/v1.1/managers/configs/m%F0%9F%98%80", body: "{}"
        ),
    ]

    @Test(arguments: cases) func isRefusedWithA4xx(_ fuzzed: Case) async throws {
        try await withAPI("fuzzRegression") { api in
            try await api.makeEndpoint("demo", confirming: ["10.0.0.9"])
            let before = try await api.snapshot()
            let reply =
                if let from = fuzzed.from {
                    try await api.request(fuzzed.method, fuzzed.path, from: from, body: fuzzed.body)
                } else {
                    try await api.request(fuzzed.method, fuzzed.path, body: fuzzed.body)
                }
            #expect(reply.status == .badRequest, "\(fuzzed.label): expected 400, got \(reply.status) \(reply.text)")
            #expect(
                reply.message?.contains("U+") == true,
                "\(fuzzed.label): expected the character named, got \(reply.text)")
            #expect(try await api.snapshot() == before, "\(fuzzed.label): ZooKeeper changed")
        }
    }
}
