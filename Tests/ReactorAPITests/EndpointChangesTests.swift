import HTTPTypes
import Hummingbird
import ReactorCore
import ReactorStore
import Testing

/// Conditional configuration updates (`ETag` / `If-Match`) and atomic renames.
@Suite struct EndpointChangesTests {
    static let ifMatch = HTTPField.Name("If-Match")!

    @Test func anUpdateNamingTheReadVersionWinsAndAStaleOneIsRefused() async throws {
        try await withAPI { api in
            try await api.makeEndpoint("web", config: #"{"scaling": {"max_instances": 3}}"#)
            let read = try await api.request(.get, "/v1.1/endpoints/web")
            let tag = try #require(read.headers[.eTag], "GET answers an ETag")
            #expect(tag.hasPrefix("\"") && tag.hasSuffix("\""), "\(tag)")

            let update = try await api.request(
                .post, "/v1.1/endpoints/web", body: #"{"scaling": {"max_instances": 5}}"#,
                headers: [Self.ifMatch: tag])
            #expect(update.status == .ok, "\(update.text)")
            let newTag = try #require(update.headers[.eTag])
            #expect(newTag != tag)
            #expect(try await api.request(.get, "/v1.1/endpoints/web").headers[.eTag] == newTag)

            let before = try await api.snapshot()
            let stale = try await api.request(
                .post, "/v1.1/endpoints/web", body: #"{"scaling": {"max_instances": 9}}"#,
                headers: [Self.ifMatch: tag])
            #expect(stale.status == .preconditionFailed, "\(stale.text)")
            #expect(stale.message?.contains("changed since it was read") == true, "\(stale.text)")
            #expect(try await api.snapshot() == before, "a stale update writes nothing")
            let stored = try await api.request(.get, "/v1.1/endpoints/web").json
            #expect(stored?.objectValue?["scaling"]?.objectValue?["max_instances"] == 5)
        }
    }

    @Test func aConditionalUpdateIsValidatedLikeAnyPost() async throws {
        try await withAPI { api in
            try await api.makeEndpoint("web")
            let tag = try #require(try await api.request(.get, "/v1.1/endpoints/web").headers[.eTag])
            let before = try await api.snapshot()
            let invalid = try await api.request(
                .post, "/v1.1/endpoints/web", body: #"{"scaling": {"min_instances": 5, "max_instances": 2}}"#,
                headers: [Self.ifMatch: tag])
            #expect(invalid.status == .badRequest, "\(invalid.text)")
            #expect(invalid.json?.objectValue?["scaling"] != nil, "per-field errors: \(invalid.text)")
            for bad in ["7", "W/\"0\"", "*", "\"x\"", "\"-1\"", "\"0\", \"1\""] {
                let reply = try await api.request(
                    .post, "/v1.1/endpoints/web", body: "{}", headers: [Self.ifMatch: bad])
                #expect(
                    reply.status == .badRequest && reply.message?.contains("If-Match") == true, "\(bad): \(reply.text)")
            }
            let unknown = try await api.request(.post, "/v1.1/endpoints/nope", body: "{}", headers: [Self.ifMatch: tag])
            #expect(unknown.status == .notFound, "If-Match never creates: \(unknown.text)")
            #expect(try await api.snapshot() == before)
        }
    }

    @Test func renameIsOneStepAndKeepsTheEndpoint() async throws {
        try await withAPI { api in
            let id = try await api.makeEndpoint(
                "old", config: #"{"scaling": {"max_instances": 4}}"#, confirming: ["10.0.0.9"])
            try await api.makeEndpoint("other")
            #expect(try await api.request(.post, "/v1.1/endpoints/old/alias", body: #""www""#).status == .ok)

            let taken = try await api.request(.post, "/v1.1/endpoints/old/rename", body: #""other""#)
            #expect(taken.status == .conflict, "\(taken.text)")
            #expect(try await api.request(.post, "/v1.1/endpoints/nope/rename", body: #""x""#).status == .notFound)
            for bad in [#""..""#, #""a/b""#, #""""#, "42", "not json"] {
                let reply = try await api.request(.post, "/v1.1/endpoints/old/rename", body: bad)
                #expect(reply.status == .badRequest && reply.message != nil, "\(bad): \(reply.text)")
            }
            #expect(try await api.request(.post, "/v1.1/endpoints/old/rename", body: #""old""#).status == .conflict)

            let renamed = try await api.request(.post, "/v1.1/endpoints/old/rename", body: #""new""#)
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect(try await api.request(.get, "/v1.1/endpoints").json == strings("new", "other", "www"))
            #expect(try await api.store.endpointID(named: "new") == id, "the same endpoint")
            #expect(try await api.store.endpointID(named: "www") == id, "its alias stays")
            let config = try await api.request(.get, "/v1.1/endpoints/new").json
            #expect(config?.objectValue?["scaling"]?.objectValue?["max_instances"] == 4)
            #expect(try await api.request(.get, "/v1.1/endpoint/ips", from: "10.0.0.9").json == strings("10.0.0.9"))
        }
    }
}
