import Foundation
import ReactorAPI
import ReactorCore
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

/// The API's watch-maintained read cache: what changes in ZooKeeper — written by another process,
/// a manager, or by hand — is seen through the API promptly, and the API's own writes at once.
@Suite struct ReadCacheTests {
    /// How long a change made directly in ZooKeeper may take to show through the cache.
    static let prompt = Duration.seconds(2)

    @Test func changesMadeDirectlyInZooKeeperAreSeenPromptly() async throws {
        try await withAPI { api in
            let id = try await api.makeEndpoint("web")
            let statePath = "/v1.1/endpoints/web/state"
            let initial = try await api.request(.get, statePath).json
            #expect(initial == ["state": "PAUSED", "active": [], "manager": .null])

            // As a manager would: state, owner and active backends appear (absent nodes were cached).
            try await api.zk.create(ZNodeLayout.endpoint(id, EndpointNode.state), data: Array("RUNNING".utf8))
            try await api.zk.create(ZNodeLayout.endpoint(id, EndpointNode.manager), data: Array("m-1".utf8))
            try await api.zk.create(
                ZNodeLayout.endpoint(id, EndpointNode.liveActive), data: Array(#"["10.0.0.1:80"]"#.utf8))
            try await expectPromptly("state, manager and backends created in ZooKeeper") {
                try await api.request(.get, statePath).json == [
                    "state": "RUNNING", "active": ["10.0.0.1:80"], "manager": "m-1",
                ]
            }

            // Changed and deleted.
            try await api.zk.set(ZNodeLayout.endpoint(id, EndpointNode.state), data: Array("STOPPED".utf8))
            try await api.zk.delete(ZNodeLayout.endpoint(id, EndpointNode.manager))
            try await expectPromptly("state changed and manager gone in ZooKeeper") {
                try await api.request(.get, statePath).json == [
                    "state": "STOPPED", "active": ["10.0.0.1:80"], "manager": .null,
                ]
            }

            // The configuration (and so the endpoint's own key) changes in ZooKeeper.
            try await api.zk.set(ZNodeLayout.endpoint(id), data: Array(#"{"endpoint":{"url":"http://changed"}}"#.utf8))
            try await expectPromptly("configuration changed in ZooKeeper") {
                try await api.request(.get, "/v1.1/endpoints/web").json?.objectValue?["endpoint"]
                    == ["url": "http://changed"]
            }

            // An admin key set directly applies at once; removing it opens the API again.
            try await api.store.setAdminKey("secret")
            try await expectPromptly("admin key set in ZooKeeper") {
                try await api.request(.get, statePath).status == .unauthorized
            }
            try await api.store.setAdminKey(nil)
            try await expectPromptly("admin key removed in ZooKeeper") {
                try await api.request(.get, statePath).status == .ok
            }

            // The name removed directly: the endpoint is gone for the API.
            try await api.zk.delete(ZNodeLayout.endpointName("web"))
            try await expectPromptly("name deleted in ZooKeeper") {
                try await api.request(.get, statePath).status == .notFound
            }
        }
    }

    @Test func theAPIsOwnWritesAreReadBackAtOnce() async throws {
        try await withAPI { api in
            try await api.makeEndpoint("web")
            for (round, action) in zip(
                0..<20, [("start", "RUNNING"), ("stop", "STOPPED"), ("pause", "PAUSED")].cycled())
            {
                let set = try await api.request(.post, "/v1.1/endpoints/web/state", body: #"{"action":"\#(action.0)"}"#)
                #expect(set.status == .ok)
                let state = try await api.request(.get, "/v1.1/endpoints/web/state").json?.objectValue?["state"]
                #expect(state == .string(action.1), "round \(round): expected \(action.1) right after '\(action.0)'")
            }
            try await api.request(.post, "/v1.1/endpoints/web/alias", body: #""www""#)
            #expect(try await api.request(.get, "/v1.1/endpoints/www/state").status == .ok)
            try await api.request(.delete, "/v1.1/endpoints/www")
            #expect(try await api.request(.get, "/v1.1/endpoints/www/state").status == .notFound)
        }
    }

    @Test func theCacheKeepsWatchedNodesAndNoMoreThanItsCapacity() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("readCache")
        let zk = try await ZooKeeperClient.connect(.init(connectString: namespace, connectTimeout: .seconds(30)))
        let cache = WatchedNodeCache(client: zk, capacity: 2)
        do {
            try await zk.create("/a", data: Array("1".utf8))
            try await zk.create("/b", data: Array("2".utf8))
            #expect(try await cache.value(at: "/a", keepAbsence: true, decode: { $0 }) == Array("1".utf8))
            #expect(try await cache.value(at: "/missing", keepAbsence: false, decode: { $0 }) == nil)
            #expect(cache.count == 1, "an absent node read with keepAbsence: false is not kept")
            #expect(try await cache.value(at: "/c", keepAbsence: true, decode: { $0 }) == nil)
            #expect(cache.count == 2, "an absent node read with keepAbsence: true is kept")
            #expect(
                try await cache.value(at: "/b", keepAbsence: true, decode: { $0 }) == Array("2".utf8),
                "past capacity: read directly")
            #expect(cache.count == 2)

            try await zk.set("/a", data: Array("3".utf8))
            #expect(
                try await cache.value(at: "/a", keepAbsence: true, decode: { $0 }) == Array("3".utf8),
                "own session's write seen at once")
            try await zk.create("/c", data: Array("4".utf8))
            #expect(
                try await cache.value(at: "/c", keepAbsence: true, decode: { $0 }) == Array("4".utf8),
                "creation seen at once")

            // Many concurrent misses of one node share one read and all get its data.
            try await zk.set("/a", data: Array("5".utf8))
            let reads = try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
                for _ in 0..<50 { group.addTask { try await cache.value(at: "/a", keepAbsence: true, decode: { $0 }) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(reads.allSatisfy { $0 == Array("5".utf8) }, "every concurrent reader sees the new data")
        } catch {
            await zk.close()
            throw error
        }
        await zk.close()
    }

    /// Polls `condition` until it holds, for up to ``prompt``.
    private func expectPromptly(
        _ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async throws -> Bool
    ) async throws {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < Self.prompt {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("\(what): not seen through the API within \(Self.prompt)", sourceLocation: sourceLocation)
    }
}

extension Array {
    /// The elements repeated forever.
    fileprivate func cycled() -> some Sequence<Element> {
        sequence(state: 0) { index in
            defer { index = (index + 1) % count }
            return self[index]
        }
    }
}
