import Hummingbird
import ReactorCore
import ReactorStore
import Testing

@Suite struct GlobalRoutesTests {
    @Test func rootAnswersTheVersion() async throws {
        try await withAPI { api in
            let reply = try await api.request(.get, "/")
            #expect(reply.status == .ok)
            #expect(reply.json == ["version": "1.1"])
            #expect(reply.headers[.contentType] == "application/json")
        }
    }

    @Test func urlIsSetAndRead() async throws {
        try await withAPI { api in
            #expect(try await api.request(.get, "/v1.1/url").json == ["url": nil])
            let set = try await api.request(.post, "/v1.1/url", body: #"{"url": "http://example.com"}"#)
            #expect(set.status == .ok)
            #expect(set.text.isEmpty, "writes answer an empty body, as the document shows")
            #expect(try await api.request(.get, "/v1.1/url").json == ["url": "http://example.com"])
            #expect(try await api.request(.get, "/v1.0/url").json == ["url": "http://example.com"])
        }
    }

    @Test func infoCountsEndpointsManagersAndInstances() async throws {
        try await withAPI { api in
            #expect(
                try await api.request(.get, "/v1.1/info").json
                    == ["active": 0, "instances": 0, "managers": 0, "endpoints": [:]])
            try await api.makeEndpoint("demo", confirming: ["10.0.0.1"])
            try await api.request(.post, "/v1.1/endpoints/demo/state", body: #"{"action": "stop"}"#)
            try await api.zk.create("\(ZNodeLayout.managerActive)/u-1", data: Array("3".utf8))
            try await api.zk.create(ZNodeLayout.managerKey("u-1"), data: Array(#"{"name":"m"}"#.utf8))
            #expect(
                try await api.request(.get, "/v1.1/info").json
                    == ["active": 3, "instances": 1, "managers": 1, "endpoints": ["STOPPED": 1]])
        }
    }

    @Test func registerAndUnregisterQueueIPs() async throws {
        try await withAPI { api in
            #expect(try await api.request(.post, "/v1.1/register/10.0.0.5").status == .ok)
            #expect(try await api.request(.post, "/v1.1/register", from: "10.0.0.6").status == .ok)
            #expect(try await api.request(.post, "/v1.0/register/10.0.0.7").status == .ok)
            #expect(try await api.store.queuedRegistrations() == ["10.0.0.5", "10.0.0.6", "10.0.0.7"])
            #expect(try await api.request(.post, "/v1.1/unregister/10.0.0.5").status == .ok)
            #expect(try await api.request(.post, "/v1.1/unregister", from: "10.0.0.6").status == .ok)
            #expect(try await api.store.queuedUnregistrations() == ["10.0.0.5", "10.0.0.6"])
            let bad = try await api.request(.post, "/v1.1/register/10.0.0.300")
            #expect(bad.status == .badRequest)
            #expect(bad.message?.contains("not an IPv4 or IPv6 address") == true, "\(bad.text)")
        }
    }

    @Test func unknownRoutesAre404AndWrongMethods405() async throws {
        try await withAPI { api in
            let missing = try await api.request(.get, "/v1.1/nothing/here")
            #expect(missing.status == .notFound)
            #expect(missing.message?.contains("no route") == true)
            let wrong = try await api.request(.delete, "/v1.1/info")
            #expect(wrong.status == .methodNotAllowed)
            #expect(wrong.headers[.allow] == "GET")
            #expect(wrong.message?.isEmpty == false)
            let wrongOnParameter = try await api.request(.patch, "/v1.1/endpoints/demo")
            #expect(wrongOnParameter.status == .methodNotAllowed)
            #expect(wrongOnParameter.headers[.allow] == "DELETE, GET, POST, PUT")
        }
    }
}
