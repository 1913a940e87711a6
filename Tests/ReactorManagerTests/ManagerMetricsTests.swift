import Foundation
import ReactorCore
import Testing

@testable import ReactorManager

@Suite struct ManagerMetricsTests {
    @Test func passesLaunchesAndDecisionsBecomeTheDocumentedSeries() throws {
        let metrics = ManagerMetrics()
        metrics.pass(duration: .milliseconds(40), reads: 12, writes: 3, failed: false, owned: 2, known: 5)
        metrics.pass(duration: .milliseconds(60), reads: 8, writes: 0, failed: true, owned: 1, known: 5)
        metrics.zooKeeperError("connectionLoss")
        metrics.launched(endpoint: "web")
        metrics.launched(endpoint: "web")
        metrics.deleted(endpoint: "web")
        metrics.decision(endpoint: "web", direction: "up")
        let text = String(decoding: metrics.text(), as: UTF8.self)
        let expected = [
            "# TYPE reactor_manager_pass_duration_seconds histogram",
            "reactor_manager_pass_duration_seconds_count 2",
            #"reactor_manager_passes_total{result="ok"} 1"#,
            #"reactor_manager_passes_total{result="failed"} 1"#,
            #"reactor_manager_zookeeper_operations_total{kind="read"} 20"#,
            #"reactor_manager_zookeeper_operations_total{kind="write"} 3"#,
            #"reactor_manager_zookeeper_errors_total{code="connectionLoss"} 1"#,
            "reactor_manager_owned_endpoints 1",
            "reactor_manager_known_endpoints 5",
            #"reactor_manager_launches_total{endpoint="web"} 2"#,
            #"reactor_manager_deletes_total{endpoint="web"} 1"#,
            #"reactor_manager_decisions_total{endpoint="web",direction="up"} 1"#,
        ]
        for line in expected {
            #expect(text.contains(line + "\n") || text.contains(line + ".0\n"), "the series has \(line):\n\(text)")
        }
        let docs = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../docs/metrics.md"), encoding: .utf8)
        for name in Set(
            text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] })
        {
            #expect(docs.contains("`\(name)`"), "docs/metrics.md documents \(name)")
        }
    }

    @Test func decisionsAreUpDownOrHold() {
        #expect(ManagerLoop.direction(["target": 3, "instances": 1]) == "up")
        #expect(ManagerLoop.direction(["target": 1, "instances": 3]) == "down")
        #expect(ManagerLoop.direction(["target": 2, "instances": 2]) == "hold")
    }
}
