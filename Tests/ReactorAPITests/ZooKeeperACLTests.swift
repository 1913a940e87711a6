import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ReactorAPI
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

/// ZooKeeper digest authentication and ACLs (issue 11, point 3), against a real ZooKeeper: the
/// API with credentials works as usual, every node it creates is closed to everyone else, and a
/// manager with the wrong password says so and exits.
@Suite("ZooKeeper ACLs", .serialized)
struct ZooKeeperACLTests {
    static let credentials = ZooKeeperClient.DigestCredentials(user: "reactor", password: "zk-secret")

    @Test func nodesAreForTheCredentialsAlone() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("zk-acl")
        var logger = Logger(label: "reactor.api.test")
        logger.logLevel = .warning
        var configuration = APIConfiguration(
            zookeeper: namespace, host: "127.0.0.1", port: 0, connectTimeout: .seconds(30), logger: logger)
        configuration.zookeeperAuth = Self.credentials
        let app = try await buildApplication(configuration)
        let anonymous = try await ZooKeeperClient.connect(.init(connectString: namespace))
        let owner = try await ZooKeeperClient.connect(
            .init(connectString: namespace, authentication: Self.credentials))
        let stranger = try await ZooKeeperClient.connect(
            .init(
                connectString: namespace,
                authentication: ZooKeeperClient.DigestCredentials(user: "reactor", password: "guess")))
        defer {
            Task {
                await anonymous.close()
                await owner.close()
                await stranger.close()
            }
        }
        try await app.test(.live) { client throws in
            let api = APIHarness(client: client, store: ReactorStore(client: owner))
            #expect(try await api.request(.post, "/v1.1/auth_key", body: #"{"auth_key": "admin"}"#).status == .ok)
            #expect(
                try await api.request(.post, "/v1.1/endpoints/web", body: "{}", headers: .authKey("admin")).status
                    == .ok)
            #expect(
                try await api.request(.get, "/v1.1/endpoints/web/state", headers: .authKey("admin")).status == .ok,
                "works with credentials")
        }
        for (name, client) in [("anonymous", anonymous), ("a wrong password", stranger)] {
            await #expect(throws: ZooKeeperError.self, "\(name) cannot read /reactor/auth") {
                _ = try await client.get(ZNodeLayout.auth)
            }
            do {
                _ = try await client.get(ZNodeLayout.auth)
            } catch let error as ZooKeeperError {
                #expect(error.code == .noAuth, "\(name): \(error)")
            }
            do {
                try await client.create(ZNodeLayout.endpointName("intruder"), data: [])
                Issue.record("\(name) created a node under /reactor/endpoints")
            } catch let error as ZooKeeperError {
                #expect(error.code == .noAuth, "\(name) cannot create under /reactor/endpoints: \(error)")
            }
            await #expect(throws: StoreAccessError.self, "the store reports \(name) as refused") {
                try await ReactorStore(client: client).checkAccess()
            }
        }
        #expect(!(try await owner.get(ZNodeLayout.auth).bytes.isEmpty), "the credentials read it")
        try await ReactorStore(client: owner).checkAccess()
    }

    @Test func aManagerWithWrongCredentialsExitsSayingSo() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("zk-acl-manager")
        let owner = try await ZooKeeperClient.connect(
            .init(connectString: namespace, authentication: Self.credentials))
        try await ReactorStore(client: owner).prepareLayout()
        await owner.close()
        for environment in [["REACTOR_ZOOKEEPER_AUTH": "reactor:wrong"], [:]] {
            let run = try ReactorProcess.start(
                ["manager", "--zookeeper", namespace, "--name", "m-acl"], environment: environment)
            let status = try await run.exitStatus()
            #expect(status != 0, "refused (\(environment)): \(run.log)")
            #expect(run.log.contains("noAuth") && run.log.contains("--zookeeper-auth"), "says why: \(run.log)")
            #expect(!run.log.contains("wrong"), "no password in the log")
        }
        let good = try ReactorProcess.start(
            ["manager", "--zookeeper", namespace, "--name", "m-acl", "--zookeeper-auth", "reactor:zk-secret"])
        try await eventually("the manager with the credentials registers") {
            guard good.process.isRunning else { throw LocalServiceError("it exited:\n\(good.log)") }
            let check = try await ZooKeeperClient.connect(
                .init(connectString: namespace, authentication: Self.credentials))
            defer { Task { await check.close() } }
            return !(try await check.children(ZNodeLayout.managerActive)).isEmpty
        }
        await good.stop()
    }
}
