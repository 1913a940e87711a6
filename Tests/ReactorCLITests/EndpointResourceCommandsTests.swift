import Foundation
import ReactorCore
import ReactorStore
import Testing
import ZooKeeperTesting

#if canImport(Glibc)
import Glibc
#endif

/// `reactor ips`, `instances`, `metrics`, `sessions` and `log` against a live API, with what
/// managers would write seeded in ZooKeeper.
@Suite struct EndpointResourceCommandsTests {
    @Test func ipsListsConfirmedAddresses() async throws {
        try await LiveAPI.with("cli-ips") { api in
            _ = try await api.run("endpoints", "create", "web")
            var result = try await api.run("ips", "web")
            #expect(result.status == 0 && result.stdout.isEmpty, "\(result)")
            let id = try await api.store.endpointID(named: "web")
            try await api.store.confirmIP("10.0.0.7", id: id, name: "web")
            try await api.store.confirmIP("10.0.0.12", id: id, name: "web")
            result = try await api.runUntil("ips", "web") { $0.lines.count == 2 }
            #expect(result.lines == ["10.0.0.12", "10.0.0.7"], "\(result)")
            result = try await api.run("ips", "web", "--json")
            #expect(try JSONValue(parsing: result.stdout) == ["10.0.0.12", "10.0.0.7"], "\(result)")
        }
    }

    @Test func instancesAreAssociatedListedAndDisassociated() async throws {
        try await LiveAPI.with("cli-instances") { api in
            _ = try await api.run("endpoints", "create", "web")
            var result = try await api.run("instances", "associate", "web", "i-93818b24")
            #expect(
                result.status == 0 && result.lines == ["associated instance 'i-93818b24' with endpoint 'web'"],
                "\(result)")
            _ = try await api.run("instances", "associate", "web", "i-00000001")
            result = try await api.run("instances", "list", "web")
            #expect(result.lines == ["i-00000001", "i-93818b24"], "\(result)")
            result = try await api.run("endpoints", "list")
            #expect(result.lines == ["NAME  STATE   INSTANCES  PROBLEM", "web   PAUSED  2          -"], "\(result)")

            result = try await api.run("instances", "disassociate", "web", "i-00000001")
            #expect(
                result.status == 0 && result.lines == ["disassociated instance 'i-00000001' from endpoint 'web'"],
                "\(result)")
            result = try await api.run("instances", "list", "web", "--json")
            #expect(try JSONValue(parsing: result.stdout) == ["i-93818b24"], "\(result)")
            #expect(try await api.store.instances(id: api.store.endpointID(named: "web")) == ["i-93818b24"])
        }
    }

    @Test func metricsArePostedAndShown() async throws {
        try await LiveAPI.with("cli-metrics") { api in
            _ = try await api.run("endpoints", "create", "web")
            var result = try await api.run("metrics", "show", "web")
            #expect(result.status == 0 && result.lines == ["METRIC  VALUE"], "\(result)")

            result = try await api.run(
                "metrics", "post", "web", "--ip", "10.0.0.5", "active=4", "rate=2.5", "--weight", "2")
            #expect(
                result.status == 0 && result.lines == ["posted 2 metric(s) for 10.0.0.5 of endpoint 'web'"], "\(result)"
            )
            result = try await api.run("metrics", "show", "web", "10.0.0.5")
            #expect(result.lines == ["METRIC  WEIGHT  VALUE", "active  2       4", "rate    2       2.5"], "\(result)")
            result = try await api.run("metrics", "show", "web", "10.0.0.5", "--json")
            #expect(try JSONValue(parsing: result.stdout) == ["active": [2, 4], "rate": [2, 2.5]], "\(result)")

            // Endpoint-wide custom metrics, from a JSON file.
            let file = try api.file("metrics.json", #"{"response": [1, 120]}"#)
            result = try await api.run("metrics", "post", "web", "--file", file)
            #expect(result.status == 0 && result.lines == ["posted 1 metric(s) for endpoint 'web'"], "\(result)")
            let id = try await api.store.endpointID(named: "web")
            #expect(try await api.store.ipMetrics(id: id, ip: "10.0.0.5") == ["active": [2, 4], "rate": [2, 2.5]])

            // The computed view (no manager yet: the weighted average of what was posted).
            result = try await api.runUntil("metrics", "show", "web") { $0.lines.count == 4 }
            #expect(result.lines == ["METRIC    VALUE", "active    4", "rate      2.5", "response  120"], "\(result)")
            result = try await api.run("metrics", "show", "web", "--json")
            #expect(try JSONValue(parsing: result.stdout) == ["active": 4, "rate": 2.5, "response": 120], "\(result)")

            // Clearing drops the custom metrics only: the instance's samples stay.
            result = try await api.run("metrics", "clear", "web")
            #expect(result.status == 0 && result.lines == ["cleared the custom metrics of endpoint 'web'"], "\(result)")
            result = try await api.runUntil("metrics", "show", "web") { $0.lines.count == 3 }
            #expect(result.lines == ["METRIC  VALUE", "active  4", "rate    2.5"], "\(result)")
            result = try await api.run("metrics", "clear", "web")
            #expect(result.status == 0, "clearing what is already clear is not an error: \(result)")

            result = try await api.run(
                "metrics", "post", "web", "--ip", "10.0.0.5", "--json", "-f", "-", stdin: #"{"active": [1, "x"]}"#)
            #expect(
                result.status == 1 && result.error.hasPrefix("reactor: invalid metrics: ")
                    && result.error.hasSuffix("(400)"), "\(result)")
        }
    }

    @Test func sessionsAreListedAndDropped() async throws {
        try await LiveAPI.with("cli-sessions") { api in
            _ = try await api.run("endpoints", "create", "web")
            var result = try await api.run("sessions", "list", "web")
            #expect(result.status == 0 && result.lines == ["CLIENT  BACKEND"], "\(result)")
            let id = try await api.store.endpointID(named: "web")
            for (client, backend) in [("127.0.0.1:38743", "10.0.0.9:80"), ("10.1.0.4:51000", "10.0.0.10:80")] {
                try await api.zk.create(
                    ZNodeLayout.endpoint(id, "sessions/active/\(client)"), data: Array(backend.utf8), mode: .ephemeral,
                    createParents: true)
            }
            result = try await api.runUntil("sessions", "list", "web") { $0.lines.count == 3 }
            #expect(
                result.lines == [
                    "CLIENT           BACKEND", "10.1.0.4:51000   10.0.0.10:80", "127.0.0.1:38743  10.0.0.9:80",
                ],
                "\(result)")
            result = try await api.run("sessions", "list", "web", "--json")
            #expect(
                try JSONValue(parsing: result.stdout) == [
                    "10.1.0.4:51000": "10.0.0.10:80", "127.0.0.1:38743": "10.0.0.9:80",
                ],
                "\(result)")

            result = try await api.run("sessions", "drop", "web", "127.0.0.1:38743")
            #expect(
                result.status == 0 && result.lines == ["asked to drop session '127.0.0.1:38743' of endpoint 'web'"],
                "\(result)")
            let drop = try await api.zk.get(ZNodeLayout.endpoint(id, "sessions/drop/127.0.0.1:38743"))
            #expect(drop.string == "10.0.0.9:80", "the drop request names the backend for the balancers")

            result = try await api.run("sessions", "drop", "web", "bogus")
            #expect(
                result.status != 0 && result.stderr.contains("endpoint 'web' has no session 'bogus'"),
                "an unknown session is an error: \(result)")
            #expect(
                try await api.zk.exists(ZNodeLayout.endpoint(id, "sessions/drop/bogus")) == nil,
                "and nothing is asked of the balancers")
        }
    }

    @Test func logIsPrintedSinceAndFollowed() async throws {
        try await LiveAPI.with("cli-log") { api in
            _ = try await api.run("endpoints", "create", "web")
            let id = try await api.store.endpointID(named: "web")
            // 2024-11-29 13:30:05 UTC and ten seconds later.
            try await api.store.appendEndpointLog(
                .init(timestamp: 1_732_887_005, message: "launched i-1"), id: id, name: "web")
            try await api.store.appendEndpointLog(
                .init(timestamp: 1_732_887_015, severity: .warning, message: "i-1 is slow"), id: id, name: "web")
            var result = try await api.runUntil("log", "web") { $0.lines.count == 3 }
            #expect(
                result.lines == [
                    "TIME                 SEVERITY  MESSAGE",
                    "2024-11-29 13:30:05  INFO      launched i-1",
                    "2024-11-29 13:30:15  WARNING   i-1 is slow",
                ], "\(result)")
            result = try await api.run("log", "web", "--json", "--since", "1732887010")
            #expect(try JSONValue(parsing: result.stdout) == [[1_732_887_015, "WARNING", "i-1 is slow"]], "\(result)")
            result = try await api.run("log", "web", "--since", "1h")
            #expect(result.lines == ["TIME  SEVERITY  MESSAGE"], "nothing in the last hour: \(result)")

            // --follow prints what is there, then new entries as they come, until Ctrl-C.
            let follow = try api.start("log", "web", "--follow", "--interval", "0.2")
            try await eventually("the existing entries are printed") { follow.stdout.contains("i-1 is slow") }
            #expect(
                follow.stdout.hasPrefix("TIME                 SEVERITY  MESSAGE\n"),
                "follow keeps the table's header:\n\(follow.stdout)")
            try await api.store.appendEndpointLog(
                .init(timestamp: Date().timeIntervalSince1970, severity: .error, message: "i-2 failed"), id: id,
                name: "web")
            try await eventually("the new entry is printed") { follow.stdout.contains("i-2 failed") }
            follow.signal(SIGINT)
            let stopped = try await follow.finish()
            #expect(stopped.status == 0, "Ctrl-C ends --follow normally: \(stopped)")
            #expect(stopped.lines.count == 4, "the header, then each entry once: \(stopped)")
            #expect(
                stopped.lines.last?.hasSuffix("ERROR     i-2 failed") == true, "and the table's columns: \(stopped)")

            // --since holds with --follow too, also while nothing newer has come yet.
            let recent = try api.start("log", "web", "--follow", "--since", "0s", "--interval", "0.2")
            try await Task.sleep(for: .seconds(1))
            recent.signal(SIGINT)
            let onlyRecent = try await recent.finish()
            #expect(
                !onlyRecent.stdout.contains("launched i-1") && !onlyRecent.stdout.contains("i-2 failed"),
                "nothing from before the start is printed: \(onlyRecent)")

            // --since holds while following, also when nothing is that recent at first.
            let lastHour = try api.start("log", "web", "--follow", "--since", "1h", "--interval", "0.2")
            try await api.store.appendEndpointLog(
                .init(timestamp: Date().timeIntervalSince1970, message: "i-3 launched"), id: id, name: "web")
            try await eventually("the newer entry is printed") { lastHour.stdout.contains("i-3 launched") }
            lastHour.signal(SIGINT)
            let recentLines = try await lastHour.finish().lines.filter { !$0.hasPrefix("TIME ") }
            #expect(
                recentLines.count == 2 && !recentLines.contains { $0.contains("2024-11-29") },
                "only the entries of the last hour (i-2, i-3), not the whole log: \(recentLines)")

            let followJSON = try api.start("log", "web", "--follow", "--json", "--since", "1732887010")
            try await eventually("JSON lines are printed") { followJSON.stdout.contains("i-2 failed") }
            followJSON.signal(SIGTERM)
            let lines = try await followJSON.finish().lines
            #expect(
                lines.count == 3 && lines.allSatisfy { (try? JSONValue(parsing: $0))?.arrayValue?.count == 3 },
                "\(lines)")
        }
    }
}
