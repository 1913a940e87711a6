import Foundation
import ReactorCore
import ReactorStore
import Testing

/// `reactor managers …` against a live API; running managers are seeded as the ephemeral
/// registrations a manager writes.
@Suite struct ManagerCommandsTests {
    @Test func configurationsAreSetListedShownAndDeleted() async throws {
        try await LiveAPI.with("cli-manager-configs") { api in
            var result = try await api.run("managers", "configs", "list")
            #expect(result.status == 0 && result.stdout.isEmpty, "\(result)")

            let ini = try api.file(
                "host-a.ini", "[manager]\ninterval = 5\nkeys = 16\nclouds = process\nloadbalancers = tcp\n")
            result = try await api.run("managers", "configs", "set", "host-a", "--file", ini)
            #expect(result.status == 0 && result.lines == ["set the configuration of manager 'host-a'"], "\(result)")
            result = try await api.run(
                "managers", "configs", "set", "10.0.0.2", "-f", "-", stdin: #"{"manager": {"interval": 2}}"#)
            #expect(result.status == 0, "\(result)")

            result = try await api.run("managers", "configs")
            #expect(result.lines == ["10.0.0.2", "host-a"], "`managers configs` lists by default: \(result)")
            result = try await api.run("managers", "configs", "list", "--json")
            #expect(try JSONValue(parsing: result.stdout) == ["10.0.0.2", "host-a"], "\(result)")

            result = try await api.run("managers", "configs", "show", "host-a")
            #expect(
                result.lines == ["[manager]", "clouds = process", "interval = 5", "keys = 16", "loadbalancers = tcp"],
                "\(result)")
            result = try await api.run("managers", "configs", "show", "10.0.0.2", "--json")
            let shown = try JSONValue(parsing: result.stdout).objectValue?["manager"]?.objectValue
            #expect(shown?["interval"] == 2 && shown?["keys"] == 64, "stored with every setting written out: \(result)")

            let bad = try api.file("bad.ini", "[manager]\ninterval = 0\nclouds = ec2\n")
            result = try await api.run("managers", "configs", "set", "host-a", "--file", bad)
            #expect(result.status == 1, "\(result)")
            #expect(result.error.hasPrefix("reactor: invalid configuration: [manager] clouds: "), "\(result)")
            #expect(result.error.contains("; [manager] interval: ") && result.error.hasSuffix("(400)"), "\(result)")

            result = try await api.run("managers", "configs", "delete", "host-a")
            #expect(
                result.status == 0 && result.lines == ["deleted the configuration of manager 'host-a'"], "\(result)")
            result = try await api.run("managers", "configs", "show", "host-a")
            #expect(
                result.status == 1 && result.error == "reactor: manager 'host-a' has no configuration (404)",
                "\(result)")
            result = try await api.run("managers", "configs", "delete", "host-a")
            #expect(
                result.status == 1 && result.error == "reactor: manager 'host-a' has no configuration (404)",
                "\(result)")
        }
    }

    @Test func activeManagersAreListedAndShown() async throws {
        try await LiveAPI.with("cli-manager-active") { api in
            var result = try await api.run("managers", "active", "list")
            #expect(result.status == 0 && result.lines == ["UUID  NAME  CLOUDS  LOADBALANCERS"], "\(result)")
            let uuid = "6eaeca66-4992-4353-896c-915897e5f92b"
            try await api.zk.create(
                ZNodeLayout.managerKey(uuid),
                data: Array(
                    #"{"name":"host-a","keys":["k1","k2"],"clouds":["process"],"loadbalancers":["tcp","nginx"]}"#.utf8),
                mode: .ephemeral)
            try await api.zk.create(
                ZNodeLayout.managerKey("0b1d"),
                data: Array(#"{"name":"host-b","keys":[],"clouds":[],"loadbalancers":["tcp"]}"#.utf8),
                mode: .ephemeral)
            result = try await api.runUntil("managers", "active") { $0.lines.count == 3 }
            #expect(
                result.lines == [
                    "UUID                                  NAME    CLOUDS   LOADBALANCERS",
                    "0b1d                                  host-b  -        tcp",
                    "6eaeca66-4992-4353-896c-915897e5f92b  host-a  process  tcp, nginx",
                ], "\(result)")
            result = try await api.run("managers", "active", "list", "--json")
            #expect(try JSONValue(parsing: result.stdout) == ["0b1d", .string(uuid)], "\(result)")

            result = try await api.run("managers", "active", "show", uuid)
            #expect(
                result.lines == [
                    "KEY            VALUE",
                    "clouds         process",
                    "keys           2 ring keys",
                    "loadbalancers  tcp, nginx",
                    "name           host-a",
                ], "\(result)")
            result = try await api.run("managers", "active", "show", uuid, "--json")
            #expect(try JSONValue(parsing: result.stdout).objectValue?["keys"] == ["k1", "k2"], "\(result)")
            result = try await api.run("managers", "active", "show", "gone")
            #expect(
                result.status == 1 && result.error == "reactor: no active manager has the id 'gone' (404)", "\(result)")
        }
    }

    @Test func managerLogIsPrinted() async throws {
        try await LiveAPI.with("cli-manager-log") { api in
            var result = try await api.run("managers", "log", "host-a")
            #expect(result.status == 0 && result.lines == ["TIME  SEVERITY  MESSAGE"], "\(result)")
            try await api.store.appendManagerLog(.init(timestamp: 1_732_887_005, message: "registered"), name: "host-a")
            try await api.store.appendManagerLog(
                .init(timestamp: 1_732_887_065, severity: .error, message: "cloud process failed"), name: "host-a")
            result = try await api.runUntil("managers", "log", "host-a") { $0.lines.count == 3 }
            #expect(
                result.lines == [
                    "TIME                 SEVERITY  MESSAGE",
                    "2024-11-29 13:30:05  INFO      registered",
                    "2024-11-29 13:31:05  ERROR     cloud process failed",
                ], "\(result)")
            result = try await api.run("managers", "log", "host-a", "--since", "1732887005", "--json")
            #expect(
                try JSONValue(parsing: result.stdout) == [[1_732_887_065, "ERROR", "cloud process failed"]], "\(result)"
            )
        }
    }
}
