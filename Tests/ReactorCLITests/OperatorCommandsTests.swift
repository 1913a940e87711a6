import Foundation
import ReactorCore
import ReactorStore
import Testing
import ZooKeeperTesting

/// `reactor metadata`, `reactor endpoints get|set|rename` and `reactor dump` as real processes
/// against a live API and ZooKeeper.
@Suite struct OperatorCommandsTests {
    @Test func metadataListGetSetAndDelete() async throws {
        try await LiveAPI.with("cli-metadata") { api in
            #expect(try await api.run("endpoints", "create", "web").status == 0)
            var result = try await api.run("metadata", "web")
            #expect(result.status == 0 && result.stdout.isEmpty, "\(result)")

            result = try await api.run("metadata", "web", "release", "--set", #""v2""#)
            #expect(result.status == 0 && result.lines == ["set metadata key 'release' of endpoint 'web'"], "\(result)")
            let file = try api.file("value.json", #"{"replicas": [1, 2], "ok": true}"#)
            result = try await api.run("metadata", "web", "layout", "--file", file)
            #expect(result.status == 0, "\(result)")
            result = try await api.run(["metadata", "web", "stdin", "--file", "-"], stdin: "[1,2,3]")
            #expect(result.status == 0, "\(result)")

            result = try await api.run("metadata", "web")
            #expect(result.lines == ["layout", "release", "stdin"], "\(result)")
            result = try await api.run("metadata", "web", "release")
            #expect(result.status == 0 && result.lines == ["v2"], "a string is printed bare: \(result)")
            result = try await api.run("metadata", "web", "release", "--json")
            #expect(result.lines == [#""v2""#], "\(result)")
            result = try await api.run("metadata", "web", "layout")
            #expect(try JSONValue(parsing: result.stdout) == ["ok": true, "replicas": [1, 2]], "\(result)")

            result = try await api.run("metadata", "web", "release", "--delete")
            #expect(result.status == 0 && result.lines == ["removed metadata key 'release' of endpoint 'web'"])
            result = try await api.run("metadata", "web", "release")
            #expect(
                result.status == 1 && result.error == "reactor: web has no metadata key 'release' (404)", "\(result)")

            result = try await api.run("metadata", "web", "..", "--set", "1")
            #expect(result.status == 1 && result.error.contains("metadata key '..' must not be '.' or '..' (400)"))
            result = try await api.run("metadata", "web", "a/b", "--set", "1")
            #expect(result.status == 1 && result.error.contains("must not contain '/' (400)"), "\(result)")
            result = try await api.run("metadata", "web", "k", "--set", "not json")
            #expect(result.status == 64 && result.stderr.contains("--set must be one JSON value"), "\(result)")
            result = try await api.run("metadata", "web", "--delete")
            #expect(result.status == 64, "\(result)")
            result = try await api.run("metadata", "nope")
            #expect(result.status == 1 && result.error == "reactor: endpoint 'nope' does not exist (404)", "\(result)")
        }
    }

    @Test func endpointsGetSetAndRename() async throws {
        try await LiveAPI.with("cli-settings") { api in
            #expect(try await api.run("endpoints", "create", "web").status == 0)
            var result = try await api.run("endpoints", "get", "web", "scaling.max_instances")
            #expect(result.status == 0 && result.lines == ["1"], "\(result)")

            result = try await api.run(
                "endpoints", "set", "web", "scaling.max_instances=8", "scaling.rules=1 <= load <= 5",
                "endpoint.weight=")
            #expect(result.status == 0, "\(result)")
            #expect(result.lines.first?.hasPrefix("updated endpoint 'web': [scaling] max_instances = 8") == true)
            result = try await api.run("endpoints", "get", "web", "scaling.max_instances")
            #expect(result.lines == ["8"], "validated and stored in canonical form: \(result)")
            result = try await api.run("endpoints", "get", "web", "scaling.rules")
            #expect(result.lines == ["1 <= load <= 5"], "\(result)")

            let id = try await api.store.endpointID(named: "web")
            let before = try await api.store.endpointConfiguration(id: id, name: "web")
            result = try await api.run("endpoints", "set", "web", "scaling.min_instances=20")
            #expect(result.status == 1, "\(result)")
            #expect(result.error.contains("invalid configuration: [scaling] min_instances"), "\(result)")
            result = try await api.run("endpoints", "set", "web", "scaling.bogus=1")
            #expect(result.status == 1 && result.error.contains("bogus"), "\(result)")
            #expect(try await api.store.versionedEndpointConfiguration(named: "web").configuration == before)

            result = try await api.run("endpoints", "get", "web", "scaling.nothing")
            #expect(result.status == 1 && result.error.contains("has no setting [scaling] nothing"), "\(result)")
            result = try await api.run("endpoints", "set", "web", "noequals")
            #expect(result.status == 64, "\(result)")
            result = try await api.run("endpoints", "get", "web", "nodot")
            #expect(result.status == 64, "\(result)")

            #expect(try await api.run("metadata", "web", "k", "--set", "1").status == 0)
            result = try await api.run("endpoints", "rename", "web", "www")
            #expect(result.status == 0 && result.lines == ["endpoint 'web' is now 'www'"], "\(result)")
            #expect(try await api.store.endpointID(named: "www") == id)
            result = try await api.run("endpoints", "list", "--json")
            #expect(try JSONValue(parsing: result.stdout) == ["www"], "\(result)")
            #expect(try await api.run("metadata", "www", "k").lines == ["1"], "metadata follows the rename")
            result = try await api.run("endpoints", "rename", "web", "x")
            #expect(result.status == 1 && result.error == "reactor: endpoint 'web' does not exist (404)", "\(result)")
            #expect(try await api.run("endpoints", "create", "other").status == 0)
            result = try await api.run("endpoints", "rename", "www", "other")
            #expect(result.status == 1 && result.error.contains("already taken"), "\(result)")
        }
    }

    @Test func aChangeBetweenReadAndWriteIsAnErrorNotALostUpdate() async throws {
        try await LiveAPI.with("cli-set-race") { api in
            #expect(try await api.run("endpoints", "create", "web").status == 0)
            let hook = NSTemporaryDirectory() + "reactor-set-hold-\(UUID().uuidString.prefix(8))"
            defer {
                try? FileManager.default.removeItem(atPath: hook + ".read")  // may not exist
                try? FileManager.default.removeItem(atPath: hook + ".go")  // may not exist
            }
            let command = try api.start(
                "endpoints", "set", "web", "scaling.max_instances=8",
                environment: ["REACTOR_TEST_HOLD_BEFORE_WRITE": hook])
            try await eventually("the command has read the configuration", timeout: .seconds(30)) {
                FileManager.default.fileExists(atPath: hook + ".read")
            }
            // Another operator's change, made between the command's read and its write.
            let other = try await api.run("endpoints", "set", "web", "scaling.min_instances=0")
            #expect(other.status == 0, "\(other)")
            #expect(FileManager.default.createFile(atPath: hook + ".go", contents: Data()))
            let result = try await command.finish()
            #expect(result.status == 1, "\(result)")
            #expect(result.error.contains("changed since it was read"), "\(result)")
            #expect(result.error.contains("nothing was written") && result.error.hasSuffix("(412)"), "\(result)")
            let id = try await api.store.endpointID(named: "web")
            let stored = try await api.store.endpointConfiguration(id: id, name: "web").objectValue?["scaling"]
            #expect(
                stored?.objectValue?["min_instances"] == 0, "the other change is kept: \(String(describing: stored))")
            #expect(stored?.objectValue?["max_instances"] == 1, "the stale one is not written")
        }
    }

    @Test func dumpPrintsTheTreeWithSecretsRedacted() async throws {
        try await LiveAPI.with("cli-dump") { api in
            let hash = KeyDigest.hex(.sha1, of: "pepper-salt" + "epkey")
            let config = try api.file(
                "secure.json", #"{"endpoint": {"auth_hash": "\#(hash)", "auth_salt": "pepper-salt"}}"#)
            #expect(try await api.run("endpoints", "create", "secure", "--file", config).status == 0)
            #expect(
                try await api.run("metadata", "secure", "release", "--set", #"{"v": 2}"#, key: "epkey").status == 0,
                "the endpoint's own key opens its metadata")
            #expect(try await api.run("metadata", "secure").status == 1, "and nothing else does")
            #expect(try await api.run("auth-key", "set", "topsecret").status == 0)
            let id = try await api.store.endpointID(named: "secure")
            try await api.zk.create("/reactor/clouds/blob", data: [0xff, 0xfe, 0x00])

            var result = try await api.run(["dump", "--zookeeper", api.zookeeper])
            #expect(result.status == 0, "\(result)")
            for secret in [hash, "pepper-salt", "topsecret"] {
                #expect(!result.stdout.contains(secret), "\(secret) is not printed")
            }
            let tree = try JSONValue(parsing: result.stdout)
            let root = tree.objectValue?["children"]?.objectValue
            #expect(root?["auth"]?.objectValue?["data"] == "<redacted>", "\(String(describing: root?["auth"]))")
            let endpoints = root?["endpoints"]?.objectValue?["children"]?.objectValue
            #expect(
                endpoints?["names"]?.objectValue?["children"]?.objectValue?["secure"]?.objectValue?["text"]
                    == .string(id))
            let data = endpoints?["data"]?.objectValue?["children"]?.objectValue?[id]?.objectValue
            let section = data?["data"]?.objectValue?["endpoint"]?.objectValue
            #expect(
                section?["auth_hash"] == "<redacted>" && section?["auth_salt"] == "<redacted>",
                "\(String(describing: section))")
            let metadata = data?["children"]?.objectValue?["metadata"]?.objectValue?["children"]?.objectValue
            #expect(metadata?["release"]?.objectValue?["data"] == ["v": 2])
            let blob = root?["clouds"]?.objectValue?["children"]?.objectValue?["blob"]?.objectValue
            #expect(blob?["base64"] == "//4A", "binary data as base64: \(String(describing: blob))")

            result = try await api.run(["dump", "--zookeeper", api.zookeeper, "/reactor/endpoints/names"])
            #expect(try JSONValue(parsing: result.stdout).objectValue?["children"]?.objectValue?["secure"] != nil)

            result = try await api.run(["dump", "--zookeeper", api.zookeeper, "--max-nodes", "5"])
            #expect(result.status == 1 && result.stdout.isEmpty, "\(result)")
            #expect(
                result.stderr.contains("has more than 5 nodes; dump a smaller path or raise the limit"), "\(result)")
            result = try await api.run(["dump", "--zookeeper", api.zookeeper, "--max-depth", "1"])
            #expect(result.status == 1 && result.stderr.contains("more than 1 levels deep"), "\(result)")
            result = try await api.run(["dump", "--zookeeper", api.zookeeper, "/reactor/nothing"])
            #expect(result.status == 1 && result.stderr.contains("there is no node /reactor/nothing"), "\(result)")
            result = try await api.run(["dump", "--zookeeper", api.zookeeper, "relative"])
            #expect(result.status == 64, "\(result)")
        }
    }
}
