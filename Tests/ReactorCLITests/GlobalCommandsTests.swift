import Foundation
import ReactorCore
import ReactorStore
import Testing

/// `reactor url`, `info`, `register`/`unregister` and `auth-key` against a live API.
@Suite struct GlobalCommandsTests {
    @Test func urlIsShownSetAndCleared() async throws {
        try await LiveAPI.with("cli-url") { api in
            var result = try await api.run("url")
            #expect(result.status == 0 && result.lines == ["(not set)"], "`url` shows by default: \(result)")
            result = try await api.run("url", "set", "http://reactor.example.com:8080")
            #expect(result.status == 0 && result.lines == ["url set to http://reactor.example.com:8080"], "\(result)")
            #expect(try await api.store.apiURL() == "http://reactor.example.com:8080")
            result = try await api.run("url", "show")
            #expect(result.lines == ["http://reactor.example.com:8080"], "\(result)")
            result = try await api.run("url", "show", "--json")
            #expect(try JSONValue(parsing: result.stdout) == ["url": "http://reactor.example.com:8080"], "\(result)")
            result = try await api.run("url", "set", "ftp://nope")
            #expect(
                result.status == 1 && result.error.hasPrefix("reactor: url must be an http:// or https:// URL"),
                "\(result)")
            result = try await api.run("url", "clear")
            #expect(result.status == 0 && result.lines == ["url cleared"], "\(result)")
            result = try await api.run("url", "show", "--json")
            #expect(try JSONValue(parsing: result.stdout) == ["url": nil], "\(result)")
        }
    }

    @Test func infoSummarisesTheInstallation() async throws {
        try await LiveAPI.with("cli-info") { api in
            var result = try await api.run("info")
            #expect(
                result.lines == [
                    "api:        \(api.url) (version 1.1)",
                    "managers:   0",
                    "instances:  0",
                    "active:     0",
                    "endpoints:  0",
                ], "\(result)")
            _ = try await api.run("endpoints", "create", "a")
            _ = try await api.run("endpoints", "create", "b")
            _ = try await api.run("endpoints", "start", "b")
            try await api.store.confirmIP("10.0.0.1", id: api.store.endpointID(named: "b"), name: "b")
            result = try await api.runUntil("info", "--json") {
                (try? JSONValue(parsing: $0.stdout))?.objectValue?["instances"] == 1
            }
            #expect(
                try JSONValue(parsing: result.stdout)
                    == ["active": 0, "instances": 1, "managers": 0, "endpoints": ["PAUSED": 1, "RUNNING": 1]],
                "\(result)")
            result = try await api.run("info")
            #expect(result.lines.last == "endpoints:  2 (1 PAUSED, 1 RUNNING)", "\(result)")
            #expect(result.lines.contains("instances:  1"), "\(result)")
        }
    }

    @Test func registerAndUnregisterQueueAddresses() async throws {
        try await LiveAPI.with("cli-register") { api in
            // Without --ip: the caller's own address (loopback here).
            var result = try await api.run("register")
            #expect(result.status == 0 && result.lines == ["registered this machine's IP"], "\(result)")
            #expect(try await api.store.queuedRegistrations() == ["127.0.0.1"])
            result = try await api.run("register", "--ip", "10.0.0.9")
            #expect(result.status == 0 && result.lines == ["registered 10.0.0.9"], "\(result)")
            #expect(try await api.store.queuedRegistrations() == ["10.0.0.9", "127.0.0.1"])

            result = try await api.run("unregister")
            #expect(result.status == 0 && result.lines == ["unregistered this machine's IP"], "\(result)")
            result = try await api.run("unregister", "--ip", "10.0.0.9", "--json")
            #expect(result.status == 0 && result.stdout.isEmpty, "\(result)")
            #expect(try await api.store.queuedUnregistrations() == ["10.0.0.9", "127.0.0.1"])

            result = try await api.run("register", "--ip", "not-an-ip")
            #expect(
                result.status == 1
                    && result.error
                        == "reactor: 'not-an-ip' is not an IPv4 or IPv6 address, or one with a port (10.0.0.5:32768, [fd00::5]:32768) (400)",
                "\(result)")
        }
    }

    @Test func authKeyIsSetUsedAndCleared() async throws {
        try await LiveAPI.with("cli-auth") { api in
            var result = try await api.run("auth-key", "set", "s3cret")
            #expect(result.status == 0 && result.lines.first?.hasPrefix("admin key set") == true, "\(result)")
            #expect(try await api.store.adminKeyHash() != nil)

            // Missing key, wrong key, right key (from --auth-key and from REACTOR_AUTH_KEY).
            result = try await api.run("endpoints", "list")
            #expect(result.status == 1, "\(result)")
            #expect(
                result.error == "reactor: unauthorized: give the admin key with --auth-key or REACTOR_AUTH_KEY",
                "\(result)")
            result = try await api.run("endpoints", "list", key: "wrong")
            #expect(result.status == 1, "\(result)")
            #expect(
                result.error == "reactor: unauthorized: the key given with --auth-key or REACTOR_AUTH_KEY was refused",
                "\(result)")
            result = try await api.run("info", "--auth-key", "wrong")
            #expect(result.status == 1 && result.error.hasPrefix("reactor: unauthorized: "), "\(result)")
            result = try await api.run("endpoints", "list", "--auth-key", "s3cret")
            #expect(result.status == 0 && result.lines == ["NAME  STATE  INSTANCES  PROBLEM"], "\(result)")
            result = try await api.run("endpoints", "create", "web", key: "s3cret")
            #expect(result.status == 0, "\(result)")

            // Changing the key needs the current one.
            result = try await api.run("auth-key", "set", "other")
            #expect(result.status == 1 && result.error.hasPrefix("reactor: unauthorized"), "\(result)")
            result = try await api.run("auth-key", "set", "other", key: "s3cret")
            #expect(result.status == 0, "\(result)")
            result = try await api.run("endpoints", "list", key: "s3cret")
            #expect(result.status == 1, "the old key no longer works: \(result)")

            result = try await api.run("auth-key", "clear", key: "other")
            #expect(result.status == 0 && result.lines == ["admin key removed"], "\(result)")
            #expect(try await api.store.adminKeyHash() == nil)
            result = try await api.run("endpoints", "list")
            #expect(result.status == 0 && result.lines.count == 2, "open again without a key: \(result)")
        }
    }
}
