import Foundation
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

/// A closed ZooKeeper tree stays closed: a refused start writes nothing, a process with
/// credentials refuses a tree anyone may change (unless told to accept it), and `reactor zk
/// secure` closes one. Real `reactor` processes on a real ZooKeeper.
@Suite("Closed tree", .serialized)
struct ClosedTreeTests {
    static let auth = "reactor:zk-secret"

    @Test(arguments: [["--host", "0.0.0.0"], ["--auth-key-file", "/nonexistent/key"]])
    func aRefusedStartLeavesZooKeeperAsItWas(_ arguments: [String]) async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("refused-start")
        let run = try ReactorProcess.start(
            ["api", "--zookeeper", namespace, "--port", "\(try LoopbackPorts.free())"] + arguments)
        #expect(try await run.exitStatus() == 1, "refused: \(run.log)")
        let client = try await ZooKeeperClient.connect(.init(connectString: namespace))
        defer { Task { await client.close() } }
        let children = try await client.children("/")
        #expect(children.isEmpty, "nothing was written: \(children)")
    }

    @Test func anOpenTreeIsRefusedWithCredentialsUntilSecured() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("open-tree")
        // A first API without credentials makes the tree: open to anyone.
        let port = try LoopbackPorts.free()
        let open = try ReactorProcess.start(["api", "--zookeeper", namespace, "--port", "\(port)"])
        try await open.waitListening(port: port)
        await open.stop()

        let refused = try ReactorProcess.start(
            ["api", "--zookeeper", namespace, "--port", "\(try LoopbackPorts.free())", "--zookeeper-auth", Self.auth])
        #expect(try await refused.exitStatus() == 1, "refused: \(refused.log)")
        #expect(refused.log.contains("/reactor/endpoints/names"), "names the open nodes: \(refused.log)")
        #expect(refused.log.contains("reactor zk secure"), "and the command that closes them: \(refused.log)")
        #expect(!refused.log.contains("zk-secret"), "the password is never printed")

        let manager = try ReactorProcess.start(
            ["manager", "--zookeeper", namespace, "--name", "m", "--zookeeper-auth", Self.auth])
        #expect(try await manager.exitStatus() != 0, "a manager refuses too: \(manager.log)")
        #expect(manager.log.contains("reactor zk secure"), "\(manager.log)")

        let acceptedPort = try LoopbackPorts.free()
        let accepted = try ReactorProcess.start([
            "api", "--zookeeper", namespace, "--port", "\(acceptedPort)", "--zookeeper-auth", Self.auth,
            "--accept-open-acl",
        ])
        try await accepted.waitListening(port: acceptedPort)
        await accepted.stop()

        let secure = try ReactorProcess.start(["zk", "secure", "--zookeeper", namespace, "--zookeeper-auth", Self.auth])
        #expect(try await secure.exitStatus() == 0, "\(secure.log)")
        #expect(secure.log.contains("secured"), "\(secure.log)")

        let anonymous = try await ZooKeeperClient.connect(.init(connectString: namespace))
        defer { Task { await anonymous.close() } }
        await #expect(throws: ZooKeeperError.self, "an anonymous client cannot create a name any more") {
            _ = try await anonymous.create(ZNodeLayout.endpointName("intruder"), data: [])
        }

        let securedPort = try LoopbackPorts.free()
        let secured = try ReactorProcess.start([
            "api", "--zookeeper", namespace, "--port", "\(securedPort)", "--zookeeper-auth", Self.auth,
        ])
        try await secured.waitListening(port: securedPort)
        await secured.stop()
    }
}
