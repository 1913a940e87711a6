import Foundation
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

/// The owner records each endpoint's decision (only when it changes); under `dry_run` it decides,
/// records and logs what it would do, and launches nothing.
@Suite("Decision record", .serialized)
struct DecisionRecordTests {
    @Test func aDryRunRecordsAndLogsButLaunchesNothing() async throws {
        let reactor = try await APIAndManager.start("decision-dry-run", manager: "dry", interval: "0.2")
        let http = reactor.http
        let zk = try await ZooKeeperClient.connect(.init(connectString: reactor.namespace))
        defer { reactor.killInstances() }
        do {
            try await eventually("the API answers") { (try? await http.get("/"))?.status == 200 }
            let config: [String: Any] = [
                "endpoint": ["cloud": "process", "port": "8000"],
                "scaling": ["min_instances": "2", "max_instances": "4", "rules": "load <= 5", "dry_run": "true"],
                "cloud:process": ["command": "sleep 30", "addresses": "127.0.12.0/24"],
            ]
            #expect(try await http.post("/v1.1/endpoints/dry", config).status == 200)
            #expect(try await http.post("/v1.1/endpoints/dry/state", ["action": "start"]).status == 200)

            var record: [String: Any] = [:]
            try await eventually("the owner records a decision") {
                record = try await http.get("/v1.1/endpoints/dry/decision").json as? [String: Any] ?? [:]
                return record["target"] as? Int == 3  // 0…∞ clamped to 2…4: midpoint 3
            }
            #expect(record["state"] as? String == "RUNNING" && record["instances"] as? Int == 0, "\(record)")
            let held = (record["held"] as? [[String: Any]] ?? []).compactMap { $0["by"] as? String }
            #expect(held == ["dry_run"], "the dry run held it back: \(record)")
            let steps = record["steps"] as? [[String: Any]] ?? []
            #expect(steps.first?["outcome"] as? String == "zero-metric", "no load reported yet: \(record)")

            // Passes go on (0.2 s each) without launching and without rewriting an unchanged record.
            let decisionPath = ZNodeLayout.endpointDecision(try await ReactorStore(client: zk).endpointID(named: "dry"))
            let version = try #require(try await zk.exists(decisionPath)).version
            try await Task.sleep(for: .seconds(1.5))
            #expect(try await zk.exists(decisionPath)?.version == version, "an unchanged decision is not rewritten")
            #expect(try await http.strings("/v1.1/endpoints/dry/instances").isEmpty, "nothing launched in a dry run")
            let log = try await http.get("/v1.1/endpoints/dry/log").json as? [[Any]] ?? []
            let messages = log.compactMap { $0.last as? String }
            #expect(
                messages.filter { $0.contains("would launch 3 instance(s)") }.count == 1,
                "the log says once what would be done: \(messages)")

            // New load changes the decision: recorded again.
            #expect(try await http.post("/v1.1/endpoints/dry/metrics", ["load": [1, 20]]).status == 200)
            try await eventually("the new load is recorded") {
                let next = try await http.get("/v1.1/endpoints/dry/decision").json as? [String: Any] ?? [:]
                let metrics = next["metrics"] as? [String: [String: Any]] ?? [:]
                return metrics["load"]?["average"] as? Double == 20 && next["target"] as? Int == 4
            }
            #expect(try await zk.exists(decisionPath)?.version != version, "a changed decision is written")
            #expect(try await http.strings("/v1.1/endpoints/dry/instances").isEmpty, "still nothing launched")
        } catch {
            Issue.record("manager log:\n\(reactor.manager.logTail(30))")
            await zk.close()
            await reactor.manager.kill()
            await reactor.api.kill()
            throw error
        }
        await zk.close()
        await reactor.manager.kill()
        await reactor.api.kill()
    }
}
