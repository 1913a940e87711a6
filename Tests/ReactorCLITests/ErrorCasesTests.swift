import Foundation
import ReactorCore
import Testing
import ZooKeeperTesting

/// What the client commands do when something is wrong: one `reactor: …` line on standard error,
/// nothing on standard output, and an exit code a script can act on (1: the API refused,
/// 3: the API cannot be reached, 64: the command line is wrong).
@Suite struct ErrorCasesTests {
    @Test func unreachableAPIExitsWithThree() async throws {
        let port = try LoopbackPorts.free()
        let url = "http://127.0.0.1:\(port)"
        for arguments in [
            ["info", "--api", url], ["endpoints", "list", "--api", url], ["endpoints", "show", "web", "--api", url],
            ["log", "web", "--follow", "--api", url], ["url", "--api", url],
        ] {
            let result = try await CLIProcess(arguments).finish()
            #expect(result.status == 3, "\(result)")
            #expect(result.error == "reactor: cannot reach the API at \(url): connection refused", "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
        }
        // REACTOR_API is used when --api is not given.
        let result = try await CLIProcess(["endpoints", "list"], environment: ["REACTOR_API": url]).finish()
        #expect(result.status == 3 && result.error.hasPrefix("reactor: cannot reach the API at \(url)"), "\(result)")
    }

    @Test func aMistypedCommandSuggestsTheCloseOne() async throws {
        for (arguments, meant) in [
            (["endpoint"], "reactor endpoints"), (["sesions", "list", "web"], "reactor sessions"),
            (["endpoints", "crate", "web"], "reactor endpoints create"), (["zookeper", "run"], "reactor zookeeper"),
        ] {
            let result = try await CLIProcess(arguments).finish()
            #expect(result.status == 64, "\(arguments): \(result)")
            #expect(result.stderr.contains("did you mean '\(meant)'?"), "\(arguments): \(result)")
        }
        // Not every unknown word is a typo: a far one is left to the usual message.
        let far = try await CLIProcess(["frobnicate"]).finish()
        #expect(far.status != 0 && !far.stderr.contains("did you mean"), "\(far)")
    }

    @Test func unknownEndpointIsA404WithTheName() async throws {
        try await LiveAPI.with("cli-unknown") { api in
            let commands: [[String]] = [
                ["endpoints", "show", "ghost"], ["endpoints", "delete", "ghost"], ["endpoints", "start", "ghost"],
                ["endpoints", "state", "ghost"], ["endpoints", "alias", "ghost", "spirit"], ["ips", "ghost"],
                ["instances", "list", "ghost"], ["instances", "associate", "ghost", "i-1"],
                ["metrics", "show", "ghost"], ["metrics", "post", "ghost", "load=1"], ["sessions", "list", "ghost"],
                ["sessions", "drop", "ghost", "1.2.3.4:5"], ["log", "ghost"],
            ]
            for arguments in commands {
                let result = try await api.run(arguments)
                #expect(result.status == 1, "\(result)")
                #expect(result.error == "reactor: endpoint 'ghost' does not exist (404)", "\(result)")
                #expect(result.stdout.isEmpty, "\(result)")
            }
            // `update` does not create what is not there.
            let file = try api.file("ghost.json", "{}")
            let result = try await api.run("endpoints", "update", "ghost", "--file", file)
            #expect(result.status == 1 && result.error == "reactor: endpoint 'ghost' does not exist (404)", "\(result)")
            #expect(try await api.run("endpoints", "list", "--json").stdout == "[]\n")
        }
    }

    @Test func invalidConfigurationFilesSayWhatIsWrong() async throws {
        try await LiveAPI.with("cli-invalid-config") { api in
            // Not INI: rejected here, with the line.
            let syntax = try api.file("syntax.ini", "[endpoint]\nport = 80\n[scaling\nmax_instances = 2\n")
            var result = try await api.run("endpoints", "create", "web", "--file", syntax)
            #expect(result.status == 1, "\(result)")
            #expect(
                result.error
                    == "reactor: \(syntax): configuration is not valid INI: line 3: section header '[scaling' is missing ']'",
                "\(result)")
            let outside = try api.file("outside.ini", "port = 80\n")
            result = try await api.run("endpoints", "create", "web", "--file", outside)
            #expect(
                result.error
                    == "reactor: \(outside): configuration is not valid INI: line 1: key 'port' is outside any [section]",
                "\(result)")

            // Not JSON, and JSON of the wrong shape.
            result = try await api.run("endpoints", "create", "web", "--file", "-", stdin: #"{"scaling": {"#)
            #expect(
                result.status == 1
                    && result.error.hasPrefix("reactor: standard input: configuration is not valid JSON"), "\(result)")
            result = try await api.run(
                "endpoints", "create", "web", "--file", "-", stdin: #"{"scaling": {"max_instances": [3]}}"#)
            #expect(
                result.error
                    == "reactor: standard input: invalid configuration: [scaling] max_instances: must be a string, number or boolean, not a nested JSON value",
                "\(result)")

            // Readable but invalid: the API's per-field messages, section and key first.
            let semantic = try api.file("semantic.ini", "[scaling]\nmin_instances = 5\nmax_instances = 2\n")
            result = try await api.run("endpoints", "create", "web", "--file", semantic)
            #expect(result.status == 1, "\(result)")
            #expect(
                result.error
                    == "reactor: invalid configuration: [scaling] min_instances: min_instances (5) is greater than max_instances (2) (400)",
                "\(result)")
            let several = try api.file(
                "several.json", #"{"scaling": {"rules": "active <<< 3", "ramp_limit": 0}, "bogus": {}}"#)
            result = try await api.run("endpoints", "create", "web", "--file", several)
            #expect(result.status == 1, "\(result)")
            #expect(result.error.hasPrefix("reactor: invalid configuration: [bogus]: "), "\(result)")
            #expect(
                result.error.contains("; [scaling] ramp_limit: ") && result.error.contains("; [scaling] rules: "),
                "\(result)")
            #expect(!result.error.contains("\n"), "one line: \(result)")

            // A missing file.
            result = try await api.run("endpoints", "create", "web", "--file", "/nonexistent/web.ini")
            #expect(
                result.status == 1 && result.error == "reactor: cannot read /nonexistent/web.ini: no such file",
                "\(result)")

            // Nothing was created by any of these.
            #expect(try await api.run("endpoints", "list", "--json").stdout == "[]\n")
            // Updating with an invalid file leaves the endpoint as it was.
            #expect(try await api.run("endpoints", "create", "web").status == 0)
            let shown = try await api.run("endpoints", "show", "web", "--json")
            #expect(shown.status == 0 && !shown.stdout.isEmpty, "\(shown)")
            result = try await api.run("endpoints", "update", "web", "--file", semantic)
            #expect(result.status == 1 && result.error.contains("[scaling] min_instances"), "\(result)")
            let after = try await api.run("endpoints", "show", "web", "--json")
            #expect(after.status == 0 && after.stdout == shown.stdout, "\(after)")
        }
    }

    @Test func badUsageExitsWith64() async throws {
        let cases: [([String], String)] = [
            (["endpoints", "show"], "Error: Missing expected argument '<name>'"),
            (["instances", "frobnicate", "web"], "Error: 2 unexpected arguments: 'frobnicate', 'web'"),
            (["endpoints", "list", "extra"], "Error: Unexpected argument 'extra'"),
            (["endpoint"], "Error: unknown command 'endpoint'; did you mean 'reactor endpoints'?"),
            (["endpoints", "update", "web"], "Error: Missing expected argument '--file <file>'"),
            (
                ["info", "--api", "localhost:8080"],
                "Error: --api must be an http:// or https:// URL, got 'localhost:8080'"
            ),
            (["info", "--timeout", "0"], "Error: --timeout must be a positive number of seconds"),
            (["metrics", "post", "web", "load"], "Error: 'load' is not METRIC=VALUE with a number as VALUE"),
            (
                ["metrics", "post", "web"],
                "Error: give either METRIC=VALUE samples or --file, not both and not neither"
            ),
            (
                ["log", "web", "--since", "yesterday"],
                "Error: --since must be seconds since 1970 or an age such as 90s, 10m, 2h, 1d; got 'yesterday'"
            ),
            (["auth-key", "set", ""], "Error: the key must not be empty; use `auth-key clear` to remove it"),
        ]
        for (arguments, message) in cases {
            // Usage errors are found before any request: no API needed.
            let result = try await CLIProcess(arguments, environment: ["REACTOR_API": "http://127.0.0.1:1"]).finish()
            #expect(result.status == 64, "\(result)")
            #expect(result.stderr.hasPrefix(message), "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
        }
    }

    @Test func errorsAreOneLineWithoutATrace() async throws {
        try await LiveAPI.with("cli-one-line") { api in
            let results = [
                try await api.run("endpoints", "create", "a/b"),
                try await api.run("endpoints", "show", ".."),
                try await api.run("endpoints", "alias", "x", "y"),
                try await api.run("metrics", "show", "x", "not-an-ip"),
                try await api.run("managers", "configs", "show", "nobody"),
            ]
            #expect(results[0].error == "reactor: endpoint name 'a/b' must not contain '/' (400)", "\(results[0])")
            #expect(results[1].error == "reactor: endpoint name '..' must not be '.' or '..' (400)", "\(results[1])")
            for result in results {
                #expect(result.status == 1, "\(result)")
                #expect(
                    result.stderr.hasPrefix("reactor: ") && result.stderr.filter { $0 == "\n" }.count == 1, "\(result)")
                #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Error:"), "\(result)")
            }
        }
    }
}
