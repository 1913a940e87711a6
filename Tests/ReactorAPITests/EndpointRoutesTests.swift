import Hummingbird
import ReactorCore
import ReactorStore
import Testing

@Suite struct EndpointRoutesTests {
    @Test func createReadUpdateListAndDelete() async throws {
        try await withAPI { api in
            #expect(try await api.request(.get, "/v1.1/endpoints").json == [])
            #expect(try await api.request(.post, "/v1.1/endpoints/demo", body: "{}").status == .ok)
            #expect(try await api.request(.post, "/v1.1/endpoints/alpha", body: "{}").status == .ok)
            #expect(try await api.request(.get, "/v1.1/endpoints").json == strings("alpha", "demo"), "sorted")
            let stored = try await api.request(.get, "/v1.1/endpoints/demo").json
            #expect(stored?.objectValue?["scaling"]?.objectValue?["max_instances"] == 1, "defaults written out")
            let config =
                #"{"endpoint": {"url": "tcp://8080", "loadbalancer": "tcp", "cloud": "process"}, "scaling": {"max_instances": 3}}"#
            #expect(try await api.request(.post, "/v1.1/endpoints/demo", body: config).status == .ok)
            let updated = try await api.request(.get, "/v1.1/endpoints/demo").json?.objectValue
            #expect(updated?["endpoint"]?.objectValue?["url"] == "tcp://8080")
            #expect(updated?["scaling"]?.objectValue?["max_instances"] == 3)
            #expect(try await api.request(.delete, "/v1.1/endpoints/demo").status == .ok)
            #expect(try await api.request(.get, "/v1.1/endpoints/demo").status == .notFound)
            #expect(try await api.request(.delete, "/v1.1/endpoints/demo").status == .notFound)
            #expect(try await api.request(.get, "/v1.0/endpoints").json == strings("alpha"))
        }
    }

    @Test func iniBodiesAreAccepted() async throws {
        try await withAPI { api in
            let ini =
                "[endpoint]\nurl = http://example.com\nloadbalancer = nginx\n\n[scaling]\nmin_instances = 2\nmax_instances = 4\n"
            let reply = try await api.request(.post, "/v1.1/endpoints/web", body: ini)
            #expect(reply.status == .ok, "\(reply.text)")
            let stored = try await api.request(.get, "/v1.1/endpoints/web").json?.objectValue
            #expect(stored?["scaling"]?.objectValue?["min_instances"] == 2)
        }
    }

    @Test func putCreatesOnly() async throws {
        try await withAPI { api in
            #expect(try await api.request(.put, "/v1.1/endpoints/demo", body: "{}").status == .ok)
            let again = try await api.request(.put, "/v1.1/endpoints/demo", body: "{}")
            #expect(again.status == .conflict)
            #expect(again.message?.contains("already taken") == true)
        }
    }

    @Test func aliasesShareTheEndpointAndAreExclusive() async throws {
        try await withAPI { api in
            try await api.makeEndpoint("demo")
            try await api.makeEndpoint("other")
            #expect(try await api.request(.post, "/v1.1/endpoints/demo/alias", body: #""new_name""#).status == .ok)
            #expect(try await api.store.endpointID(named: "new_name") == api.store.endpointID(named: "demo"))
            #expect(try await api.request(.post, "/v1.1/endpoints/demo/alias", body: #""other""#).status == .conflict)
            #expect(try await api.request(.post, "/v1.1/endpoints/nope/alias", body: #""x""#).status == .notFound)
            try await api.request(.post, "/v1.1/endpoints/new_name/state", body: #"{"action":"start"}"#)
            #expect(try await api.request(.get, "/v1.1/endpoints/demo/state").json?.objectValue?["state"] == "RUNNING")
            let id = try await api.store.endpointID(named: "demo")
            try await api.request(.delete, "/v1.1/endpoints/demo")
            #expect(try await api.zk.exists(ZNodeLayout.endpoint(id)) != nil, "the alias keeps the data")
            try await api.request(.delete, "/v1.1/endpoints/new_name")
            #expect(try await api.zk.exists(ZNodeLayout.endpoint(id)) == nil, "last name gone: data gone")
        }
    }

    @Test func aTrailingCommaIsA400() async throws {
        try await withAPI { api in
            let before = try await api.snapshot()
            let reply = try await api.request(
                .post, "/v1.1/endpoints/demo", body: #"{"endpoint": {"url": "tcp://127.0.0.1:8000",}}"#)
            #expect(reply.status == .badRequest, "\(reply.text)")
            #expect(reply.text.contains("trailing comma"), "the message says what is wrong: \(reply.text)")
            let metrics = try await api.request(.post, "/v1.1/endpoints/demo/metrics", body: #"{"load": 1,}"#)
            #expect(metrics.status == .badRequest || metrics.status == .notFound, "\(metrics.text)")
            #expect(try await api.snapshot() == before, "nothing is written")
        }
    }

    @Test func validationErrorsArePerField() async throws {
        try await withAPI { api in
            let reply = try await api.request(
                .post, "/v1.1/endpoints/demo", body: #"{"scaling": {"min_instances": 5, "max_instances": 2}}"#)
            #expect(reply.status == .badRequest)
            let scaling = reply.json?.objectValue?["scaling"]?.objectValue
            #expect(scaling?.isEmpty == false, "expected {\"scaling\": {key: message}}, got \(reply.text)")
        }
    }
}
