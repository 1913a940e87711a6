import Hummingbird
import ReactorCore
import ReactorStore
import Testing

/// `POST /v1.1/scaling/evaluate` against the real API and ZooKeeper.
@Suite struct ScalingEvaluateTests {
    @Test func designExamplesAreAnswered() async throws {
        try await withAPI { api in
            let collapse = try await api.request(
                .post, "/v1.1/scaling/evaluate",
                body: #"""
                    {"scaling": {"rules": "2 <= instances <= 4, load <= 5", "min_instances": 1, "max_instances": 10},
                     "instances": 3, "metrics": {"load": 20}}
                    """#)
            #expect(collapse.status == .ok, "\(collapse.text)")
            let answer = try #require(collapse.json?.objectValue, "a JSON object: \(collapse.text)")
            #expect(answer["target"] == 4 && answer["range"] == [4, 4] && answer["actions"] == 1, "\(answer)")
            let steps = answer["steps"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(steps.map { $0["outcome"] } == ["applied", "collapsed"], "\(steps)")
            #expect(steps.map { $0["rule"] } == ["2 <= instances <= 4", "load <= 5"], "\(steps)")
            #expect(steps.last?["range"] == [12, nil], "load 60 / 5 wants 12…∞: \(steps)")
            #expect(steps.last?["why"]?.stringValue?.contains("collapsed") == true, "\(steps)")

            let midpoint = try await api.request(
                .post, "/v1.0/scaling/evaluate",
                body: #"""
                    {"scaling": {"rules": "10 <= active <= 30", "max_instances": 20, "ramp_limit": 2},
                     "instances": 2, "metrics": {"active": 50}, "state": "RUNNING"}
                    """#)
            #expect(midpoint.json?.objectValue?["target"] == 7, "\(midpoint.text)")
            #expect(midpoint.json?.objectValue?["actions"] == 2, "5 launches needed, ramp_limit 2: \(midpoint.text)")

            let idle = try await api.request(
                .post, "/v1.1/scaling/evaluate",
                body: #"{"scaling": {"rules": "2 <= active <= 8", "max_instances": 5}, "instances": 0}"#)
            let idleAnswer = idle.json?.objectValue ?? [:]
            #expect(idleAnswer["target"] == 1 && idleAnswer["range"] == [1, 1], "\(idle.text)")
            let step = idleAnswer["steps"]?.arrayValue?.first?.objectValue ?? [:]
            #expect(step["outcome"] == "zero-metric", "\(idle.text)")
            #expect(step["why"]?.stringValue?.contains("no instance reported 'active'") == true, "\(idle.text)")
        }
    }

    @Test func stoppedAndPausedStates() async throws {
        try await withAPI { api in
            let stopped = try await api.request(
                .post, "/v1.1/scaling/evaluate",
                body:
                    #"{"scaling": {"min_instances": 2, "max_instances": 9, "ramp_limit": 1}, "instances": 6, "state": "STOPPED"}"#
            )
            #expect(stopped.json?.objectValue?["target"] == 0, "\(stopped.text)")
            #expect(stopped.json?.objectValue?["actions"] == 6, "no ramp limit when stopped: \(stopped.text)")
            let paused = try await api.request(
                .post, "/v1.1/scaling/evaluate",
                body: #"{"scaling": {"min_instances": 2, "max_instances": 9}, "instances": 6, "state": "PAUSED"}"#)
            #expect(paused.json?.objectValue?["target"] == 6, "\(paused.text)")
            #expect(paused.json?.objectValue?["actions"] == 0, "\(paused.text)")
        }
    }

    @Test func badBodiesAre400WithPerFieldMessages() async throws {
        try await withAPI { api in
            let cases: [(body: String, field: String?)] = [
                (#"{"scaling": {"rules": "active >"}, "instances": 1}"#, "scaling.rules"),
                (#"{"scaling": {"min_instances": 5, "max_instances": 2}, "instances": 1}"#, "scaling.min_instances"),
                (#"{"scaling": {}, "instances": -2}"#, "instances"),
                (#"{"scaling": {}, "instances": 1.5}"#, "instances"),
                (#"{"scaling": {}, "instances": "3"}"#, "instances"),
                (#"{"scaling": {"ramp_limit": null, "max_instances": []}, "instances": 1}"#, "scaling.max_instances"),
                (#"{"scaling": {}, "instances": 1, "metrics": {"rate": "fast"}}"#, "metrics.rate"),
                (#"{"scaling": {}, "instances": 1, "metrics": {"rate": 1e999}}"#, nil),
                (#"{"scaling": {}, "instances": 1, "nonsense": true}"#, "nonsense"),
                (#"{"scaling": {}, "instances": 1, "state": "SLEEPING"}"#, "state"),
                (#"[]"#, "body"),
                (#"{"instances": 1}"#, "scaling"),
                ("not json", nil),
                ("", nil),
            ]
            for (body, field) in cases {
                let reply = try await api.request(.post, "/v1.1/scaling/evaluate", body: body)
                #expect(reply.status == .badRequest, "\(body) → \(reply.status) \(reply.text)")
                #expect(reply.message?.isEmpty == false, "a readable message for \(body): \(reply.text)")
                if let field {
                    let errors = reply.json?.objectValue?["errors"]?.objectValue ?? [:]
                    #expect(errors[field]?.stringValue?.isEmpty == false, "\(field) named for \(body): \(reply.text)")
                }
            }
            let wrongMethod = try await api.request(.get, "/v1.1/scaling/evaluate")
            #expect(wrongMethod.status == .methodNotAllowed, "\(wrongMethod.text)")
        }
    }

    @Test func evaluateNeedsTheAdminKey() async throws {
        try await withAPI { api in
            try await api.store.setAdminKey("secret")
            let body = #"{"scaling": {}, "instances": 1}"#
            let refused = try await api.request(.post, "/v1.1/scaling/evaluate", body: body)
            #expect(refused.status == .unauthorized, "\(refused.text)")
            let allowed = try await api.request(
                .post, "/v1.1/scaling/evaluate", body: body, headers: .authKey("secret"))
            #expect(allowed.status == .ok && allowed.json?.objectValue?["target"] == 1, "\(allowed.text)")
        }
    }
}
