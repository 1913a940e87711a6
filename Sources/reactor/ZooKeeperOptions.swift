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
            logger: logger)
        return try await ZooKeeperClient.connect(configuration)
    }
}
