import HTTPTypes
import Hummingbird
import ReactorCore
import ReactorStore
import Testing

@testable import ReactorAPI

/// `…/metadata` and `…/metadata/<key>`, explicit, v1.0 and implicit (from an instance's IP through
/// a trusted loopback `X-Forwarded-For`).
@Suite struct MetadataRoutesTests {
    private func send(
        _ api: APIHarness, _ method: HTTPRequest.Method, _ prefix: String, _ path: String, from ip: String?,
        body: String? = nil, headers: HTTPFields = [:]
    ) async throws -> Reply {
        if let ip { return try await api.request(method, prefix + path, from: ip, body: body, headers: headers) }
        return try await api.request(method, prefix + path, body: body, headers: headers)
    }

    @Test(arguments: 0..<4) func everyRouteInEveryForm(_ form: Int) async throws {
        let (prefix, from) = EndpointResourceRoutesTests.forms[form]
        try await withAPI("metadata\(form)") { api in
            let id = try await api.makeEndpoint("demo", confirming: ["10.0.0.9"])
            #expect(try await send(api, .get, prefix, "/metadata", from: from).json == [])

            let value = #"{"build": 42, "tags": ["blue", null, true], "note": "ünïcode"}"#
            let post = try await send(api, .post, prefix, "/metadata/release", from: from, body: value)
            #expect(post.status == .ok, "\(post.text)")
            #expect(try await send(api, .post, prefix, "/metadata/owner", from: from, body: #""ops""#).status == .ok)
            #expect(try await send(api, .get, prefix, "/metadata", from: from).json == strings("owner", "release"))
            let read = try await send(api, .get, prefix, "/metadata/release", from: from)
            let expected = try JSONValue(parsing: value)
            #expect(read.status == .ok && read.json == expected, "\(read.text)")
            #expect(try await send(api, .get, prefix, "/metadata/owner", from: from).json == "ops")
            #expect(
                try await api.zk.get(ZNodeLayout.endpointMetadata(id, key: "owner")).string == #""ops""#,
                "stored under the endpoint's data node")

            #expect(try await send(api, .post, prefix, "/metadata/owner", from: from, body: "7").status == .ok)
            #expect(try await send(api, .get, prefix, "/metadata/owner", from: from).json == 7, "replaced")

            #expect(try await send(api, .delete, prefix, "/metadata/owner", from: from).status == .ok)
            let gone = try await send(api, .get, prefix, "/metadata/owner", from: from)
            #expect(
                gone.status == .notFound && gone.message?.contains("no metadata key 'owner'") == true, "\(gone.text)")
            let again = try await send(api, .delete, prefix, "/metadata/owner", from: from)
            #expect(again.status == .notFound, "\(again.text)")
            #expect(try await send(api, .get, prefix, "/metadata", from: from).json == strings("release"))
        }
    }

    @Test func implicitFormsActOnlyOnTheCallersEndpoint() async throws {
        try await withAPI { api in
            try await api.makeEndpoint("a", confirming: ["10.0.0.9"])
            try await api.makeEndpoint("b", confirming: ["10.0.0.10"])
            #expect(
                try await api.request(.post, "/v1.1/endpoint/metadata/k", from: "10.0.0.9", body: "1").status == .ok)
            #expect(try await api.request(.get, "/v1.1/endpoints/a/metadata/k").json == 1)
            #expect(try await api.request(.get, "/v1.1/endpoints/b/metadata").json == [])
            #expect(try await api.request(.get, "/v1.1/endpoint/metadata/k", from: "10.0.0.10").status == .notFound)
            let stranger = try await api.request(.post, "/v1.1/endpoint/metadata/k", from: "10.0.0.11", body: "1")
            #expect(stranger.status == .notFound, "an unconfirmed IP is nobody's: \(stranger.text)")
        }
    }

    @Test func hostileKeysAreRefusedAndNothingIsWritten() async throws {
        try await withAPI { api in
            try await api.makeEndpoint("demo", confirming: ["10.0.0.9"])
            let before = try await api.snapshot()
            let long = String(repeating: "k", count: 300)
            for key in ["..", ".", "%2E%2E", "a%2Fb", "%2F", "%01", "a%00b", "%7F", long, "%ZZ", "%EE%80%80"] {
                for (method, body) in [(HTTPRequest.Method.get, nil), (.post, "1"), (.delete, nil)]
                    as [(HTTPRequest.Method, String?)]
                {
                    for from in [nil, "10.0.0.9"] as [String?] {
                        let prefix = from == nil ? "/v1.1/endpoints/demo" : "/v1.1/endpoint"
                        let reply = try await send(api, method, prefix, "/metadata/\(key)", from: from, body: body)
                        #expect(
                            reply.status == .badRequest || reply.status == .notFound,
                            "\(method) key \(key.prefix(20)): \(reply.status) \(reply.text)")
                        #expect(reply.message != nil, "a JSON message for key \(key.prefix(20)): \(reply.text)")
                    }
                }
            }
            let dotted = try await api.request(.post, "/v1.1/endpoints/demo/metadata/%2E%2E", body: "1")
            #expect(dotted.status == .badRequest && dotted.message == "metadata key '..' must not be '.' or '..'")
            let slash = try await api.request(.post, "/v1.1/endpoints/demo/metadata/a%2Fb", body: "1")
            #expect(slash.status == .badRequest && slash.message == "metadata key 'a/b' must not contain '/'")
            let tooLong = try await api.request(.post, "/v1.1/endpoints/demo/metadata/\(long)", body: "1")
            #expect(tooLong.status == .badRequest && tooLong.message?.contains("300 bytes long") == true)
            #expect(try await api.snapshot() == before, "no hostile key left anything behind")
        }
    }

    @Test func hostileBodiesAreRefusedAndNothingIsWritten() async throws {
        try await withAPI { api in
            try await api.makeEndpoint("demo", confirming: ["10.0.0.9"])
            let before = try await api.snapshot()
            let limit = MetadataRoutes.maximumValueBytes
            let oversized = "\"" + String(repeating: "x", count: limit - 1) + "\""
            let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
            let cases: [(String, HTTPResponse.Status)] = [
                ("", .badRequest), ("not json", .badRequest), ("{\"a\": 1,}", .badRequest), ("[1] [2]", .badRequest),
                ("\u{1}", .badRequest), (deep, .badRequest), (oversized, .contentTooLarge),
            ]
            for (body, status) in cases {
                for from in [nil, "10.0.0.9"] as [String?] {
                    let prefix = from == nil ? "/v1.1/endpoints/demo" : "/v1.1/endpoint"
                    let reply = try await send(api, .post, prefix, "/metadata/k", from: from, body: body)
                    #expect(
                        reply.status == status,
                        "body of \(body.utf8.count) bytes: \(reply.status) \(reply.text.prefix(200))")
                    #expect(reply.message != nil, "a JSON message: \(reply.text.prefix(200))")
                }
            }
            #expect(try await api.snapshot() == before, "no refused body left anything behind")

            let largest = "\"" + String(repeating: "x", count: limit - 2) + "\""
            #expect(try await api.request(.post, "/v1.1/endpoints/demo/metadata/k", body: largest).status == .ok)
            let nested = String(repeating: "[", count: 400) + String(repeating: "]", count: 400)
            #expect(try await api.request(.post, "/v1.1/endpoints/demo/metadata/n", body: nested).status == .ok)
            #expect(try await api.request(.get, "/v1.1/endpoints/demo/metadata/k").text == largest)
        }
    }

    @Test func keysAreBounded() async throws {
        try await withAPI { api in
            try await api.makeEndpoint("demo")
            for index in 0..<ReactorStore.maximumMetadataKeys {
                let reply = try await api.request(.post, "/v1.1/endpoints/demo/metadata/k\(index)", body: "1")
                #expect(reply.status == .ok, "key \(index): \(reply.text)")
            }
            let full = try await api.request(.post, "/v1.1/endpoints/demo/metadata/one-more", body: "1")
            #expect(full.status == .conflict && full.message?.contains("256 metadata keys") == true, "\(full.text)")
            #expect(
                try await api.request(.post, "/v1.1/endpoints/demo/metadata/k0", body: "2").status == .ok,
                "replacing an existing key is allowed when full")
        }
    }

    @Test func adminKeyEndpointKeyOrNone() async throws {
        try await withAPI { api in
            let hash = KeyDigest.hex(.sha1, of: "pepper" + "epkey")
            let config = #"{"endpoint": {"auth_hash": "\#(hash)", "auth_salt": "pepper"}}"#
            try await api.makeEndpoint("secure", config: config, confirming: ["10.0.0.9"])
            try await api.makeEndpoint("plain", confirming: ["10.0.0.10"])
            #expect(try await api.request(.post, "/v1.1/endpoints/plain/metadata/k", body: "1").status == .ok, "open")
            #expect(
                try await api.request(.post, "/v1.1/endpoints/secure/metadata/k", body: "1").status == .unauthorized,
                "the endpoint's own key is needed")
            #expect(
                try await api.request(.post, "/v1.1/endpoint/metadata/k", from: "10.0.0.9", body: "1").status
                    == .unauthorized)
            #expect(
                try await api.request(
                    .post, "/v1.1/endpoint/metadata/k", from: "10.0.0.9", body: "1", headers: .authKey("epkey")
                ).status == .ok, "an instance with its endpoint's key")
            #expect(try await api.request(.get, "/v1.1/endpoints/secure/metadata?auth_key=epkey").json == strings("k"))

            try await api.request(.post, "/v1.1/auth_key", body: #"{"auth_key": "admin"}"#)
            #expect(try await api.request(.get, "/v1.1/endpoints/plain/metadata").status == .unauthorized)
            #expect(try await api.request(.get, "/v1.1/endpoints/plain/metadata/k").status == .unauthorized)
            #expect(try await api.request(.delete, "/v1.1/endpoints/plain/metadata/k").status == .unauthorized)
            #expect(
                try await api.request(.get, "/v1.1/endpoints/plain/metadata/k", headers: .authKey("epkey")).status
                    == .unauthorized, "an endpoint key opens only its endpoint")
            #expect(
                try await api.request(.get, "/v1.1/endpoints/plain/metadata/k", headers: .authKey("admin")).json == 1)
            #expect(
                try await api.request(.get, "/v1.1/endpoints/secure/metadata/k", headers: .authKey("admin")).json == 1)
            #expect(
                try await api.request(
                    .delete, "/v1.1/endpoint/metadata/k", from: "10.0.0.9", headers: .authKey("epkey")
                )
                .status == .ok)
        }
    }

    @Test func renamingKeepsMetadataAndDeletingRemovesIt() async throws {
        try await withAPI { api in
            let id = try await api.makeEndpoint("old")
            #expect(try await api.request(.post, "/v1.1/endpoints/old/metadata/k", body: #""v""#).status == .ok)
            #expect(try await api.request(.post, "/v1.1/endpoints/old/rename", body: #""new""#).status == .ok)
            #expect(try await api.request(.get, "/v1.1/endpoints/new/metadata/k").json == "v")
            #expect(try await api.request(.get, "/v1.1/endpoints/old/metadata/k").status == .notFound)
            #expect(try await api.request(.delete, "/v1.1/endpoints/new").status == .ok)
            #expect(try await api.zk.exists(ZNodeLayout.endpoint(id, EndpointNode.metadata)) == nil)
            #expect(try await api.request(.get, "/v1.1/endpoints/new/metadata").status == .notFound)
        }
    }

    @Test func theOpenAPIDocumentDescribesTheRoutes() async throws {
        try await withAPI { api in
            let paths = try await api.request(.get, "/openapi.json").json?.objectValue?["paths"]?.objectValue ?? [:]
            for path in [
                "/v1.1/endpoints/{name}/metadata", "/v1.1/endpoints/{name}/metadata/{key}", "/v1.1/endpoint/metadata",
                "/v1.1/endpoint/metadata/{key}", "/v1.0/endpoint/metadata/{key}", "/v1.1/endpoints/{name}/rename",
            ] {
                #expect(paths[path] != nil, "\(path) is described")
            }
            let key = paths["/v1.1/endpoint/metadata/{key}"]?.objectValue ?? [:]
            #expect(Set(key.keys) == ["get", "post", "delete"])
        }
    }
}
