import Foundation
import ReactorCore
import ReactorStore
import Testing

/// `reactor endpoints …` against a live API.
@Suite struct EndpointCommandsTests {
    @Test func createListShowUpdateAliasAndDelete() async throws {
        try await LiveAPI.with("cli-endpoints") { api in
            var result = try await api.run("endpoints", "list")
            #expect(result.status == 0 && result.lines == ["NAME  STATE  INSTANCES  PROBLEM"], "\(result)")
            result = try await api.run("endpoints", "list", "--json")
            #expect(result.status == 0 && result.stdout == "[]\n", "\(result)")

            // Default configuration, an INI file, and JSON on standard input.
            result = try await api.run("endpoints", "create", "plain")
            #expect(result.status == 0 && result.lines == ["created endpoint 'plain'"], "\(result)")
            let ini = try api.file(
                "web.ini",
                """
                ; the web tier
                [endpoint]
                cloud = process
                port = 8000

                [scaling]
                min_instances = 0
                max_instances = 3
                rules = 5 <= active <= 10
                """)
            result = try await api.run("endpoints", "create", "web", "--file", ini)
            #expect(result.status == 0, "\(result)")
            result = try await api.run(
                "endpoints", "create", "batch", "--file", "-",
                stdin: #"{"scaling": {"min_instances": 2, "max_instances": 4}}"#)
            #expect(result.status == 0 && result.lines == ["created endpoint 'batch'"], "\(result)")

            result = try await api.run("endpoints", "create", "web")
            #expect(result.status == 1, "\(result)")
            #expect(result.error == "reactor: the name 'web' is already taken by an endpoint (409)", "\(result)")

            result = try await api.run("endpoints")
            #expect(
                result.lines == [
                    "NAME   STATE   INSTANCES  PROBLEM",
                    "batch  PAUSED  0          -",
                    "plain  PAUSED  0          -",
                    "web    PAUSED  0          -",
                ], "`endpoints` lists by default: \(result)")
            result = try await api.run("endpoints", "list", "--json")
            #expect(try JSONValue(parsing: result.stdout) == ["batch", "plain", "web"], "\(result)")

            result = try await api.run("endpoints", "show", "web")
            #expect(result.status == 0, "\(result)")
            #expect(result.lines.first == "[endpoint]", "\(result)")
            #expect(result.lines.contains("cloud = process") && result.lines.contains("port = 8000"), "\(result)")
            #expect(result.lines.contains("[scaling]") && result.lines.contains("max_instances = 3"), "\(result)")
            #expect(result.lines.contains("rules = 5 <= active <= 10"), "\(result)")
            // What `show` prints is a configuration file `update` takes back.
            let shown = try api.file("shown.ini", result.stdout)
            result = try await api.run("endpoints", "update", "plain", "--file", shown)
            #expect(result.status == 0 && result.lines == ["updated endpoint 'plain'"], "\(result)")
            let plain = try await api.run("endpoints", "show", "plain", "--json")
            let web = try await api.run("endpoints", "show", "web", "--json")
            #expect(plain.status == 0 && web.status == 0 && !web.stdout.isEmpty && plain.stdout == web.stdout)

            result = try await api.run("endpoints", "show", "batch", "--json")
            let json = try JSONValue(parsing: result.stdout)
            #expect(json.objectValue?["scaling"]?.objectValue?["max_instances"] == 4, "\(result)")
            #expect(result.stdout.contains("\n  \"scaling\": {\n"), "pretty-printed with sorted keys: \(result)")

            let update = try api.file("update.json", #"{"scaling": {"max_instances": 6}}"#)
            result = try await api.run("endpoints", "update", "batch", "--file", update)
            #expect(result.status == 0, "\(result)")
            let id = try await api.store.endpointID(named: "batch")
            let stored = try await api.store.endpointConfiguration(id: id, name: "batch")
            #expect(stored.objectValue?["scaling"]?.objectValue?["max_instances"] == 6)

            result = try await api.run("endpoints", "alias", "web", "www")
            #expect(result.status == 0 && result.lines == ["'www' is now an alias of 'web'"], "\(result)")
            #expect(try await api.store.endpointID(named: "www") == api.store.endpointID(named: "web"))
            result = try await api.run("endpoints", "alias", "web", "batch")
            #expect(result.status == 1 && result.error.hasSuffix("(409)"), "\(result)")

            result = try await api.run("endpoints", "delete", "www")
            #expect(result.status == 0 && result.lines == ["deleted endpoint 'www'"], "\(result)")
            result = try await api.run("endpoints", "delete", "plain", "--json")
            #expect(result.status == 0 && result.stdout.isEmpty, "--json prints nothing for a write: \(result)")
            result = try await api.run("endpoints", "list", "--json")
            #expect(try JSONValue(parsing: result.stdout) == ["batch", "web"], "\(result)")
        }
    }

    @Test func startStopPauseAndState() async throws {
        try await LiveAPI.with("cli-state") { api in
            _ = try await api.run("endpoints", "create", "web")
            var result = try await api.run("endpoints", "state", "web")
            #expect(result.lines == ["STATE   MANAGER  ACTIVE", "PAUSED  -        -"], "\(result)")

            result = try await api.run("endpoints", "start", "web")
            #expect(result.status == 0 && result.lines == ["endpoint 'web' is RUNNING"], "\(result)")
            result = try await api.run("endpoints", "state", "web", "--json")
            #expect(
                try JSONValue(parsing: result.stdout) == ["state": "RUNNING", "active": [], "manager": nil], "\(result)"
            )
            result = try await api.run("endpoints", "list")
            #expect(
                result.lines == [
                    "NAME  STATE    INSTANCES  PROBLEM", "web   RUNNING  0          NoManager: no manager is running",
                ],
                "a running endpoint nobody owns says why: \(result)")

            result = try await api.run("endpoints", "stop", "web")
            #expect(result.status == 0 && result.lines == ["endpoint 'web' is STOPPED"], "\(result)")
            #expect(try await api.store.endpointState(id: api.store.endpointID(named: "web")) == .stopped)

            result = try await api.run("endpoints", "pause", "web")
            #expect(result.status == 0 && result.lines == ["endpoint 'web' is PAUSED"], "\(result)")
            result = try await api.run("endpoints", "state", "web", "--json")
            #expect(try JSONValue(parsing: result.stdout).objectValue?["state"] == "PAUSED", "\(result)")
        }
    }
}
