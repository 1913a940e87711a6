import ReactorCore
import ReactorStore
import Testing
import ZooKeeper

/// The owner's clean-up of per-IP samples, against the real test ZooKeeper.
@Suite struct StaleMetricsTests {
    @Test func samplesOfAddressesThatAreNoInstanceGoAfterTheGrace() async throws {
        try await withStore { store in
            let id = try await store.createEndpoint(named: "web", configuration: [:])
            for ip in ["10.0.0.1", "10.0.0.2", "10.0.0.3"] {
                try await store.setIPMetrics(["rate": [1, 2]], id: id, name: "web", ip: ip)
            }
            let kept = try await store.removeStaleIPMetrics(id: id, keep: [], grace: .seconds(300))
            #expect(kept.isEmpty, "within the grace period nothing goes")
            let removed = try await store.removeStaleIPMetrics(id: id, keep: ["10.0.0.1"], grace: .zero)
            #expect(removed == ["10.0.0.2", "10.0.0.3"])
            #expect(try await store.ipMetrics(id: id, ip: "10.0.0.1") != nil, "a kept IP keeps its samples")
            #expect(try await store.ipMetrics(id: id, ip: "10.0.0.2") == nil)
        }
    }
}
