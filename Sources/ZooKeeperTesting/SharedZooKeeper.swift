import Foundation
import LocalServices
import ZooKeeper

/// One ZooKeeper server shared by the tests of a process, and a private namespace (chroot) per
/// test so tests never see each other's nodes.
///
/// Set `REACTOR_TEST_ZOOKEEPER=host:port` to use a server that is already running instead.
public actor SharedZooKeeper {
    public static let instance = SharedZooKeeper()

    private var server: ZooKeeperServer?
    private var starting: Task<String, any Error>?

    /// The shared server's `host:port`, starting it on first use.
    public func connectString() async throws -> String {
        if let external = ProcessInfo.processInfo.environment["REACTOR_TEST_ZOOKEEPER"], !external.isEmpty {
            return external
        }
        if let starting { return try await starting.value }
        let task = Task { () throws -> String in
            let server = try await ZooKeeperServer.start()
            self.keep(server)
            return server.connectString
        }
        starting = task
        return try await task.value
    }

    private func keep(_ server: ZooKeeperServer) {
        self.server = server
    }

    /// Creates a fresh namespace `/tests/<name>-<random>` and returns a connect string rooted
    /// there (`host:port/tests/…`).
    public func namespace(_ name: String = "test") async throws -> String {
        let hosts = try await connectString()
        let root = try await ZooKeeperClient.connect(.init(connectString: hosts, connectTimeout: .seconds(30)))
        defer { Task { await root.close() } }
        let safe = name.filter { $0.isLetter || $0.isNumber || $0 == "-" }
        let path = try await root.create(
            "/tests/\(safe.isEmpty ? "test" : safe)-\(UUID().uuidString.prefix(8).lowercased())", createParents: true)
        return hosts + path
    }
}
