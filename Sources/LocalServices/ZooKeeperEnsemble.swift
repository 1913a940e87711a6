import Foundation

/// A real ZooKeeper ensemble of several servers on loopback, whose members can be killed and
/// restarted one at a time.
public final class ZooKeeperEnsemble: Sendable {
    public let servers: [ZooKeeperServer]

    /// `127.0.0.1:p1,127.0.0.1:p2,…`.
    public var connectString: String { servers.map(\.connectString).joined(separator: ",") }

    /// Starts `size` servers (default 3) and waits until they form a quorum.
    public static func start(size: Int = 3, options: ZooKeeperServer.Options = .init()) async throws
        -> ZooKeeperEnsemble
    {
        let ports = try LoopbackPorts.free(size * 3)
        let peers = (0..<size).map { (peer: ports[size + $0], election: ports[2 * size + $0]) }
        let base = try ZooKeeperServer.makeTemporaryDirectory("ensemble")
        let servers = try (0..<size).map { index in
            try ZooKeeperServer(
                clientPort: ports[index], directory: base + "/server\(index + 1)", options: options, peers: peers,
                myID: index + 1)
        }
        for server in servers { try server.launch() }
        for server in servers { try await server.waitUntilServing() }
        return ZooKeeperEnsemble(servers: servers)
    }

    init(servers: [ZooKeeperServer]) {
        self.servers = servers
    }

    /// The index of the current leader, if there is one.
    public var leaderIndex: Int? {
        servers.firstIndex { $0.mode == "leader" }
    }

    /// The index of the member listening on `port`.
    public func index(ofPort port: Int) -> Int? {
        servers.firstIndex { $0.clientPort == port }
    }

    /// Kills every member and deletes the data.
    public func destroy() async {
        for server in servers { await server.destroy() }
    }
}
