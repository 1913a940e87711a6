import Hummingbird
import ReactorCore
import ReactorStore
import Testing

@Suite struct ManagerRoutesTests {
    @Test func configurationsAreCreatedReadListedAndDeleted() async throws {
        try await withAPI { api in
            #expect(try await api.request(.get, "/v1.1/managers/configs").json == [])
            #expect(try await api.request(.get, "/v1.1/managers/configs/127.0.0.1").status == .notFound)
            #expect(try await api.request(.post, "/v1.1/managers/configs/127.0.0.1", body: "{}").status == .ok)
            let ini = "[manager]\ninterval = 5\nkeys = 16\nloadbalancers = tcp\nclouds = process\n"
            #expect(try await api.request(.post, "/v1.1/managers/configs/10.0.0.2", body: ini).status == .ok)
            #expect(try await api.request(.get, "/v1.1/managers/configs").json == strings("10.0.0.2", "127.0.0.1"))
            let config = try await api.request(.get, "/v1.1/managers/configs/10.0.0.2").json
            #expect(
                config
                    == ["manager": ["interval": 5, "keys": 16, "loadbalancers": "tcp", "clouds": "process"]])
            #expect(try await api.request(.put, "/v1.1/managers/configs/10.0.0.2", body: "{}").status == .conflict)
            #expect(try await api.request(.delete, "/v1.1/managers/configs/10.0.0.2").status == .ok)
            #expect(try await api.request(.delete, "/v1.1/managers/configs/10.0.0.2").status == .notFound)
            #expect(try await api.request(.get, "/v1.0/managers/configs").json == strings("127.0.0.1"))
        }
    }

    @Test func activeManagersAndTheirInfo() async throws {
        try await withAPI { api in
            #expect(try await api.request(.get, "/v1.1/managers/active").json == [])
            try await api.zk.create(
                ZNodeLayout.managerKey("6eaeca66"), data: Array(#"{"name":"127.0.0.1","clouds":["process"]}"#.utf8),
                mode: .ephemeral)
            #expect(try await api.request(.get, "/v1.1/managers/active").json == strings("6eaeca66"))
            let info = try await api.request(.get, "/v1.1/managers/active/6eaeca66")
            #expect(info.json == ["name": "127.0.0.1", "clouds": ["process"]])
            #expect(try await api.request(.get, "/v1.1/managers/active/other").status == .notFound)
        }
    }

    @Test func managerLogIsReadSince() async throws {
        try await withAPI { api in
            #expect(try await api.request(.get, "/v1.1/managers/log/127.0.0.1").json == [])
            try await api.store.appendManagerLog(.init(timestamp: 10, message: "started"), name: "127.0.0.1")
            try await api.store.appendManagerLog(
                .init(timestamp: 20, severity: .error, message: "boom"), name: "127.0.0.1")
            #expect(
                try await api.request(.get, "/v1.1/managers/log/127.0.0.1").json
                    == [[10, "INFO", "started"], [20, "ERROR", "boom"]])
            #expect(
                try await api.request(.get, "/v1.1/managers/log/127.0.0.1?since=15").json == [[20, "ERROR", "boom"]])
        }
    }
}
