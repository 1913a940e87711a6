import Foundation
import Testing
import ZooKeeperTesting

/// The watches a manager's session holds stay bounded however many passes it makes: a real
/// manager process, 1,000 idle passes, its `reactor_manager_zookeeper_watches` gauge read from
/// its `/metrics`.
@Suite("Watch bound", .serialized)
struct WatchBoundTests {
    /// The value of the series `name` (without labels) in a Prometheus text answer.
    static func value(_ name: String, in text: String, labels: String = "") -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + labels + " ") {
            return Double(line.split(separator: " ").last ?? "")
        }
        return nil
    }

    @Test func watchesStayBoundedOverAThousandIdlePasses() async throws {
        let metricsPort = try LoopbackPorts.free()
        let reactor = try await APIAndManager.start(
            "watch-bound", manager: "watcher", interval: "0.01", managerArguments: ["--metrics-port", "\(metricsPort)"])
        let metrics = HTTP(base: "http://127.0.0.1:\(metricsPort)")
        try await reactor.run { reactor in
            let http = reactor.http
            for index in 0..<4 {
                let config: [String: Any] = [
                    "endpoint": [
                        "cloud": "process", "port": "8000", "loadbalancer": "tcp",
                        "url": "tcp://127.0.0.1:\(try LoopbackPorts.free())",
                    ],
                    "scaling": ["min_instances": "1", "max_instances": "1"],
                    "cloud:process": ["command": "sleep 600", "addresses": "127.0.15.0/24"],
                ]
                #expect(try await http.post("/v1.1/endpoints/w\(index)", config).status == 200)
                #expect(try await http.post("/v1.1/endpoints/w\(index)/state", ["action": "start"]).status == 200)
            }
            func sample() async throws -> (passes: Double, watches: Double) {
                let text = try await metrics.get("/metrics").text
                let passes = Self.value("reactor_manager_passes_total", in: text, labels: #"{result="ok"}"#) ?? 0
                return (passes, Self.value("reactor_manager_zookeeper_watches", in: text) ?? -1)
            }
            var early = (passes: 0.0, watches: 0.0)
            try await eventually("100 passes", timeout: .seconds(60)) {
                early = try await sample()
                return early.passes >= 100
            }
            #expect(early.watches > 0, "the gauge is reported: \(early)")
            var late = early
            try await eventually("1,100 passes", timeout: .seconds(180)) {
                late = try await sample()
                return late.passes >= early.passes + 1_000
            }
            print(
                "watches after \(Int(early.passes)) passes: \(Int(early.watches)); after \(Int(late.passes)): \(Int(late.watches))"
            )
            #expect(
                late.watches <= early.watches + 2,
                "a thousand idle passes add no watches: \(early.watches) → \(late.watches)")
        }
    }
}
