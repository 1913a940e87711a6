import Foundation
import Testing
import ZooKeeperTesting

/// A keyless API never serves beyond loopback by accident (issue 11, point 1): real `reactor api`
/// and `reactor server` processes, a real ZooKeeper, curl from outside.
@Suite("Open access", .serialized)
struct OpenAccessTests {
    @Test(arguments: ["api", "server"]) func noKeyNoLoopbackIsRefusedNamingBothWaysOut(_ command: String)
        async throws
    {
        let namespace = try await SharedZooKeeper.instance.namespace("open-refused-\(command)")
        let port = try LoopbackPorts.free()
        let run = try ReactorProcess.start([
            command, "--zookeeper", namespace, "--host", "0.0.0.0", "--port", "\(port)",
        ])
        let status = try await run.exitStatus()
        #expect(status == 1, "`reactor \(command)` on 0.0.0.0 with no key exits 1: \(run.log)")
        #expect(run.log.contains("--auth-key-file"), "the message names --auth-key-file: \(run.log)")
        #expect(run.log.contains("--allow-open"), "the message names --allow-open: \(run.log)")
        #expect(!LoopbackPorts.isListening(port: port), "nothing was served")
    }

    @Test func aPlainAPIWithoutAKeyServesOnLoopback() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("open-default-host")
        let port = try LoopbackPorts.free()
        let run = try ReactorProcess.start(["api", "--zookeeper", namespace, "--port", "\(port)"])
        try await run.waitListening(port: port)
        let reply = try await Curl.request("http://127.0.0.1:\(port)/v1.1/endpoints")
        #expect(reply.status == 200, "`reactor api` with no --host and no key serves on 127.0.0.1: \(reply) \(run.log)")
        await run.stop()
    }

    @Test func allowOpenServesAndWarnsAtStart() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("open-allowed")
        let port = try LoopbackPorts.free()
        let run = try ReactorProcess.start([
            "api", "--zookeeper", namespace, "--host", "0.0.0.0", "--port", "\(port)", "--allow-open",
        ])
        try await run.waitListening(port: port)
        let reply = try await Curl.request("http://127.0.0.1:\(port)/v1.1/endpoints")
        #expect(reply.status == 200, "open, as asked: \(reply)")
        #expect(run.log.contains("--allow-open") && run.log.lowercased().contains("warning"), "warned: \(run.log)")
        await run.stop()
    }

    @Test func aKeyFileReadableByOthersIsRefused() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("open-keyfile-mode")
        let file = try securityFile("admin.key", "s3cret-admin-key\n", mode: 0o644)
        let run = try ReactorProcess.start([
            "api", "--zookeeper", namespace, "--host", "0.0.0.0", "--port", "\(try LoopbackPorts.free())",
            "--auth-key-file", file,
        ])
        #expect(try await run.exitStatus() == 1, "refused: \(run.log)")
        #expect(run.log.contains("chmod 600"), "says how to repair: \(run.log)")
        #expect(!run.log.contains("s3cret-admin-key"), "the key is never printed")
    }

    @Test func aKeyFileSetsTheKeyWhenNoneIsSet() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("open-keyfile")
        let file = try securityFile("admin.key", "first-admin-key\n", mode: 0o600)
        let port = try LoopbackPorts.free()
        // Through the environment, as the deploy kit's unit gives it.
        let run = try ReactorProcess.start(
            ["api", "--zookeeper", namespace, "--host", "0.0.0.0", "--port", "\(port)"],
            environment: ["REACTOR_AUTH_KEY_FILE": file])
        try await run.waitListening(port: port)
        let url = "http://127.0.0.1:\(port)/v1.1/endpoints"
        #expect(try await Curl.request(url).status == 401, "the key from the file is needed")
        #expect(try await Curl.request(url, ["-H", "X-Auth-Key: first-admin-key"]).status == 200)
        await run.stop()

        // A later start with another file keeps the key that is set.
        let other = try securityFile("admin.key", "second-admin-key", mode: 0o400)
        let again = try ReactorProcess.start([
            "api", "--zookeeper", namespace, "--host", "0.0.0.0", "--port", "\(port)", "--auth-key-file", other,
        ])
        try await again.waitListening(port: port)
        #expect(try await Curl.request(url, ["-H", "X-Auth-Key: second-admin-key"]).status == 401)
        #expect(try await Curl.request(url, ["-H", "X-Auth-Key: first-admin-key"]).status == 200)
        #expect(!again.log.contains("admin-key"), "no key in the log: \(again.log)")
        await again.stop()
    }
}
