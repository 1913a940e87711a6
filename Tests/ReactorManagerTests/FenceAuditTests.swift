import Foundation
import Testing
import ZooKeeperTesting

/// `reactor manager --fence-audit FILE` records each fenced action with its claim's epoch.
@Suite("Fence audit", .serialized)
struct FenceAuditTests {
    @Test func everyFencedActionIsRecordedWithItsEpoch() async throws {
        let file = NSTemporaryDirectory() + "reactor-fence-audit-\(UUID().uuidString.prefix(8)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let reactor = try await APIAndManager.start(
            "fence-audit", manager: "audited", managerArguments: ["--fence-audit", file])
        try await reactor.run { reactor in
            let http = reactor.http
            let config: [String: Any] = [
                "endpoint": ["cloud": "process", "port": "8000"],
                "scaling": ["min_instances": "1", "max_instances": "1"],
                "cloud:process": ["command": "sleep 600", "addresses": "127.0.14.0/24"],
            ]
            #expect(try await http.post("/v1.1/endpoints/audited", config).status == 200)
            #expect(try await http.post("/v1.1/endpoints/audited/state", ["action": "start"]).status == 200)
            try await eventually("an instance is recorded") {
                (try await http.get("/v1.1/endpoints/audited/instances").json as? [String])?.count == 1
            }
            let summary = try await http.get("/v1.1/summary").json as? [String: Any]
            let entry = (summary?["endpoints"] as? [[String: Any]])?.first { $0["name"] as? String == "audited" }
            let id = try #require(entry?["id"] as? String, "the endpoint's uuid")
            let manager = try #require(entry?["manager"] as? String, "its owner")
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let records = text.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            let own = records.filter { $0["endpoint"] as? String == id }
            #expect(!own.isEmpty, "the launch's fenced batch is recorded: \(text)")
            #expect(own.allSatisfy { $0["manager"] as? String == manager }, "by the owner: \(own)")
            #expect(own.allSatisfy { ($0["epoch"] as? Int ?? 0) >= 1 }, "with the claim's epoch: \(own)")
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "readable by its owner only")
        }
    }
}
