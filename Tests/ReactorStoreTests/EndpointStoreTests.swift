import ReactorCore
import ReactorStore
import Testing
import ZooKeeper

@Suite struct EndpointStoreTests {
    @Test func createWritesNameAndDataTogether() async throws {
        try await withStore { store in
            let id = try await store.createEndpoint(named: "web", configuration: ["endpoint": ["url": "http://a"]])
            #expect(try await store.endpointID(named: "web") == id)
            #expect(try await store.client.get(ZNodeLayout.endpointName("web")).string == id)
            let config = try await store.endpointConfiguration(id: id, name: "web")
            #expect(config == ["endpoint": ["url": "http://a"]])
            await expectStoreError(.nameTaken("web")) {
                try await store.createEndpoint(named: "web", configuration: [:])
            }
            #expect(
                try await store.client.children(ZNodeLayout.endpointData).count == 1,
                "a refused create leaves no orphan data node")
        }
    }

    @Test func createOrUpdateKeepsTheUUID() async throws {
        try await withStore { store in
            #expect(try await store.createOrUpdateEndpoint(named: "web", configuration: ["a": [:]]))
            let id = try await store.endpointID(named: "web")
            #expect(try await store.createOrUpdateEndpoint(named: "web", configuration: ["b": [:]]) == false)
            #expect(try await store.endpointID(named: "web") == id)
            #expect(try await store.endpointConfiguration(id: id, name: "web") == ["b": [:]])
        }
    }

    @Test func aliasesAreExclusiveAndShareTheEndpoint() async throws {
        try await withStore { store in
            let id = try await store.createEndpoint(named: "web", configuration: [:])
            try await store.createEndpoint(named: "db", configuration: [:])
            try await store.addAlias("www", to: "web")
            #expect(try await store.endpointID(named: "www") == id)
            await expectStoreError(.nameTaken("db")) { try await store.addAlias("db", to: "web") }
            await expectStoreError(.endpointNotFound(name: "nope")) { try await store.addAlias("x", to: "nope") }
            #expect(try await store.endpointNames() == ["db", "web", "www"])
        }
    }

    @Test func deletingTheLastNameRemovesTheData() async throws {
        try await withStore { store in
            let id = try await store.createEndpoint(named: "web", configuration: [:])
            try await store.addAlias("www", to: "web")
            try await store.setEndpointState(.running, id: id, name: "web")
            try await store.appendEndpointLog(.init(timestamp: 1, message: "hello"), id: id, name: "web")
            try await store.confirmIP("10.0.0.7", id: id, name: "web")
            #expect(try await store.deleteEndpoint(named: "web") == false, "an alias still names it")
            #expect(try await store.client.exists(ZNodeLayout.endpoint(id)) != nil)
            #expect(try await store.deleteEndpoint(named: "www") == true)
            #expect(try await store.client.exists(ZNodeLayout.endpoint(id)) == nil, "data removed recursively")
            #expect(try await store.client.exists(ZNodeLayout.ipAddress("10.0.0.7")) == nil, "confirmed IP released")
            await expectStoreError(.endpointNotFound(name: "www")) { try await store.deleteEndpoint(named: "www") }
        }
    }

    @Test func stateDefaultsToPausedAndIsStoredAsText() async throws {
        try await withStore { store in
            let id = try await store.createEndpoint(named: "web", configuration: [:])
            #expect(try await store.endpointState(id: id) == .paused)
            try await store.setEndpointState(.stopped, id: id, name: "web")
            #expect(try await store.endpointState(id: id) == .stopped)
            #expect(try await store.client.get(ZNodeLayout.endpoint(id, "state")).string == "STOPPED")
            await expectStoreError(.endpointNotFound(name: "gone")) {
                try await store.setEndpointState(.running, id: "no-such-uuid", name: "gone")
            }
        }
    }

    @Test func metricsArePerIPAndCombined() async throws {
        try await withStore { store in
            let id = try await store.createEndpoint(named: "web", configuration: [:])
            try await store.setIPMetrics(["active": [1, 40]], id: id, name: "web", ip: "10.0.0.1")
            try await store.setIPMetrics(["active": [1, 60]], id: id, name: "web", ip: "10.0.0.2")
            #expect(try await store.ipMetrics(id: id, ip: "10.0.0.1") == ["active": [1, 40]])
            #expect(try await store.endpointMetrics(id: id) == ["active": 50])
            try await store.client.create(ZNodeLayout.endpoint(id, "live_metrics"), data: Array(#"{"active":7}"#.utf8))
            #expect(try await store.endpointMetrics(id: id) == ["active": 7], "a manager's view wins")
        }
    }

    @Test func instancesAndSessions() async throws {
        try await withStore { store in
            let id = try await store.createEndpoint(named: "web", configuration: [:])
            try await store.associateInstance("i-1", id: id, name: "web")
            try await store.associateInstance("i-1", id: id, name: "web")
            #expect(try await store.instances(id: id) == ["i-1"])
            try await store.disassociateInstance("i-1", id: id)
            try await store.disassociateInstance("i-1", id: id)
            #expect(try await store.instances(id: id) == [])
            try await store.client.create(
                ZNodeLayout.endpoint(id, "sessions/active/1.2.3.4:5"), data: Array("10.0.0.1:80".utf8),
                createParents: true)
            #expect(try await store.sessions(id: id) == ["1.2.3.4:5": "10.0.0.1:80"])
            try await store.dropSession(id: id, name: "web", client: "1.2.3.4:5")
            #expect(
                try await store.client.get(ZNodeLayout.endpoint(id, "sessions/drop/1.2.3.4:5")).string == "10.0.0.1:80")
        }
    }
}
