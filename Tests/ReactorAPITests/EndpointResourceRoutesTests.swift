import Hummingbird
import ReactorCore
import ReactorStore
import Testing

/// Every endpoint resource through the explicit, implicit and v1.0 forms.
@Suite struct EndpointResourceRoutesTests {
    /// The three ways to reach the same endpoint resource: explicit, v1.0 explicit, and implicit
    /// (from an IP confirmed for the endpoint).
    static let forms: [(prefix: String, from: String?)] = [
        ("/v1.1/endpoints/demo", nil), ("/v1.0/endpoints/demo", nil), ("/v1.1/endpoint", "10.0.0.9"),
        ("/v1.0/endpoint", "10.0.0.9"),
    ]

    private func send(
        _ api: APIHarness, _ method: HTTPRequest.Method, _ prefix: String, _ path: String, from ip: String?,
        body: String? = nil
    ) async throws -> Reply {
        if let ip { return try await api.request(method, prefix + path, from: ip, body: body) }
        return try await api.request(method, prefix + path, body: body)
    }

    @Test(arguments: 0..<4) func everyResourceInEveryForm(_ form: Int) async throws {
        let (prefix, from) = Self.forms[form]
        try await withAPI("resources\(form)") { api in
            let id = try await api.makeEndpoint("demo", confirming: ["10.0.0.9"])

            #expect(try await send(api, .get, prefix, "/ips", from: from).json == strings("10.0.0.9"))

            // state
            let initial = try await send(api, .get, prefix, "/state", from: from)
            #expect(initial.json == ["active": [], "state": "PAUSED", "manager": nil], "\(initial.text)")
            #expect(
                try await send(api, .post, prefix, "/state", from: from, body: #"{"action": "start"}"#).status == .ok)
            try await api.zk.create(ZNodeLayout.endpoint(id, "manager"), data: Array("m-1".utf8))
            try await api.zk.create(ZNodeLayout.endpoint(id, "live_active"), data: Array(#"["10.0.0.9:80"]"#.utf8))
            #expect(
                try await send(api, .get, prefix, "/state", from: from).json
                    == ["active": ["10.0.0.9:80"], "state": "RUNNING", "manager": "m-1"])

            // log
            #expect(try await send(api, .get, prefix, "/log", from: from).json == [])
            #expect(try await send(api, .post, prefix, "/log", from: from, body: #""hello""#).status == .ok)
            let log = try await send(api, .get, prefix, "/log", from: from).json?.arrayValue
            #expect(log?.count == 1)
            #expect(log?.first?.arrayValue?.last == "hello")
            #expect(try await send(api, .get, prefix, "/log?since=99999999999", from: from).json == [])

            // metrics
            #expect(try await send(api, .get, prefix, "/metrics", from: from).json == [:])
            #expect(try await send(api, .get, prefix, "/metrics/10.0.0.1", from: from).json == [:])
            let post = try await send(
                api, .post, prefix, "/metrics/10.0.0.1", from: from, body: #"{"metric": [1.0, 7.2]}"#)
            #expect(post.status == .ok, "\(post.text)")
            #expect(try await send(api, .get, prefix, "/metrics/10.0.0.1", from: from).json == ["metric": [1, 7.2]])
            #expect(try await send(api, .get, prefix, "/metrics", from: from).json == ["metric": 7.2])
            #expect(
                try await send(api, .post, prefix, "/metrics", from: from, body: #"{"rate": [2, 4]}"#).status == .ok)
            if from != nil {
                #expect(try await api.store.ipMetrics(id: id, ip: "10.0.0.9") == ["rate": [2, 4]], "caller's own IP")
            } else {
                #expect(try await api.zk.get(ZNodeLayout.endpoint(id, "custom_metrics")).string == #"{"rate":[2,4]}"#)
            }

            // sessions
            #expect(try await send(api, .get, prefix, "/sessions", from: from).json == [:])
            let noSession = try await send(api, .get, prefix, "/sessions/127.0.0.1:38743", from: from)
            #expect(noSession.status == .ok)
            #expect(noSession.text == "null")
            try await api.zk.create(
                ZNodeLayout.endpoint(id, "sessions/active/127.0.0.1:38743"), data: Array("10.0.0.9:80".utf8),
                createParents: true)
            #expect(
                try await send(api, .get, prefix, "/sessions", from: from).json == ["127.0.0.1:38743": "10.0.0.9:80"])
            #expect(try await send(api, .get, prefix, "/sessions/127.0.0.1:38743", from: from).json == "10.0.0.9:80")
            #expect(try await send(api, .delete, prefix, "/sessions/127.0.0.1:38743", from: from).status == .ok)
            #expect(try await api.zk.exists(ZNodeLayout.endpoint(id, "sessions/drop/127.0.0.1:38743")) != nil)

            // instances
            #expect(try await send(api, .get, prefix, "/instances", from: from).json == [])
            let instance = "93818b24-ef97-4be4-82f3-1ea494a22fd9"
            #expect(try await send(api, .post, prefix, "/instances/\(instance)", from: from).status == .ok)
            #expect(try await send(api, .get, prefix, "/instances", from: from).json == strings(instance))
            #expect(try await send(api, .delete, prefix, "/instances/\(instance)", from: from).status == .ok)
            #expect(try await send(api, .get, prefix, "/instances", from: from).json == [])
        }
    }

    @Test func implicitRoutesNeedAConfirmedIP() async throws {
        try await withAPI { api in
            try await api.makeEndpoint("demo", confirming: ["10.0.0.9"])
            let stranger = try await api.request(.get, "/v1.1/endpoint/state", from: "10.0.0.10")
            #expect(stranger.status == .notFound)
            #expect(stranger.message?.contains("10.0.0.10") == true)
            try await api.zk.create("\(ZNodeLayout.newIPs)/10.0.0.11")
            #expect(
                try await api.request(.get, "/v1.1/endpoint/state", from: "10.0.0.11").status == .notFound,
                "a registered but unconfirmed IP is nobody's")
        }
    }

    @Test func metricsNearTheLargestNumberStayNumbers() async throws {
        try await withAPI { api in
            try await api.makeEndpoint("huge")
            // Found by the fuzzer: Σ(w·v) overflowed and the average was answered as null.
            #expect(
                try await api.request(.post, "/v1.1/endpoints/huge/metrics/10.0.0.1", body: #"{"m":[1e300,1e300]}"#)
                    .status == .ok)
            #expect(
                try await api.request(.post, "/v1.1/endpoints/huge/metrics/10.0.0.2", body: #"{"m":[1e300,-1e300]}"#)
                    .status == .ok)
            let metrics = try await api.request(.get, "/v1.1/endpoints/huge/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.json == ["m": 0], "\(metrics.text)")
        }
    }

    @Test func unknownEndpointIs404() async throws {
        try await withAPI { api in
            for path in ["/state", "/log", "/metrics", "/ips", "/sessions", "/instances"] {
                let reply = try await api.request(.get, "/v1.1/endpoints/nope" + path)
                #expect(reply.status == .notFound, "GET \(path)")
                #expect(reply.message == "endpoint 'nope' does not exist")
            }
        }
    }
}
