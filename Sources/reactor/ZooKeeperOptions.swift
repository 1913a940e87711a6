import ArgumentParser
import Foundation
import Logging
import ZooKeeper

/// `--zookeeper` and `--log-level`, shared by every command that talks to ZooKeeper.
struct ZooKeeperOptions: ParsableArguments {
    @Option(
        name: .customLong("zookeeper"),
        help: "ZooKeeper ensemble: host:port[,host:port…][/chroot] (env REACTOR_ZOOKEEPER).")
    var connectString: String = ProcessInfo.processInfo.environment["REACTOR_ZOOKEEPER"] ?? "127.0.0.1:2181"

    @Option(help: "Seconds to wait for ZooKeeper before giving up.")
    var connectTimeout: Double = 15

    @Option(help: "ZooKeeper session timeout in seconds: how long after this process dies its ephemeral nodes go.")
    var sessionTimeout: Double = 10

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "warning"

    @Option(
        name: .customLong("zookeeper-auth"),
        help: ArgumentHelp(
            "ZooKeeper digest credentials (env REACTOR_ZOOKEEPER_AUTH, which keeps them out of the process list): "
                + "this process authenticates with them and every node it creates is for that identity alone.",
            valueName: "user:password"))
    var zookeeperAuth: String?

    @Flag(
        help: ArgumentHelp(
            "With --zookeeper-auth: run although Reactor's nodes in ZooKeeper are open to anyone (made by a "
                + "process without credentials); by default that refuses the start (see `reactor zk secure`)."))
    var acceptOpenACL = false

    func validate() throws {
        _ = try credentials()
    }

    /// `--zookeeper-auth`, else `REACTOR_ZOOKEEPER_AUTH`, read; `nil` when neither is given.
    func credentials() throws(ValidationError) -> ZooKeeperClient.DigestCredentials? {
        try Self.credentials(zookeeperAuth)
    }

    /// `text`, else `REACTOR_ZOOKEEPER_AUTH`, read as `USER:PASSWORD`.
    static func credentials(_ text: String?) throws(ValidationError) -> ZooKeeperClient.DigestCredentials? {
        guard let text = text ?? ProcessInfo.processInfo.environment["REACTOR_ZOOKEEPER_AUTH"], !text.isEmpty else {
            return nil
        }
        guard let credentials = ZooKeeperClient.DigestCredentials(text) else {
            throw ValidationError("--zookeeper-auth (REACTOR_ZOOKEEPER_AUTH) must be USER:PASSWORD, both non-empty")
        }
        return credentials
    }

    /// `--session-timeout` as a duration (at least 0.1 s).
    var sessionTimeoutDuration: Duration { .milliseconds(Int(max(0.1, sessionTimeout) * 1000)) }
    /// `--connect-timeout` as a duration (at least 0.1 s).
    var connectTimeoutDuration: Duration { .milliseconds(Int(max(0.1, connectTimeout) * 1000)) }

    func connect() async throws -> ZooKeeperClient {
        var logger = Logger(label: "reactor")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        let configuration = ZooKeeperClient.Configuration(
            connectString: connectString,
            sessionTimeout: sessionTimeoutDuration, connectTimeout: connectTimeoutDuration,
            logger: logger, authentication: try credentials())
        return try await ZooKeeperClient.connect(configuration)
    }
}
