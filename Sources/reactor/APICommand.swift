import ArgumentParser
import Hummingbird
import Logging
import ReactorAPI

/// `reactor api`: the REST API server.
struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Serve the Reactor REST API (v1.1, v1.0) from ZooKeeper.",
        discussion: "Stateless: run several against the same ZooKeeper. Stops gracefully on SIGTERM or SIGINT."
    )

    @OptionGroup var zookeeper: ZooKeeperOptions

    @Option(
        help: ArgumentHelp(
            "Address to listen on (default loopback). Another address needs an admin key (--auth-key-file) "
                + "or --allow-open."))
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port: Int = 8080

    @OptionGroup var security: APISecurityOptions

    func run() async throws {
        var logger = Logger(label: "reactor.api")
        logger.logLevel = Logger.Level(rawValue: zookeeper.logLevel) ?? .warning
        var configuration = APIConfiguration(
            zookeeper: zookeeper.connectString, host: host, port: port,
            sessionTimeout: zookeeper.sessionTimeoutDuration, connectTimeout: zookeeper.connectTimeoutDuration,
            logger: logger)
        security.apply(to: &configuration)
        configuration.zookeeperAuth = try zookeeper.credentials()
        configuration.acceptOpenACL = zookeeper.acceptOpenACL
        // One ServiceGroup (Hummingbird's runService): the ZooKeeper session first, HTTP last;
        // SIGTERM/SIGINT stops HTTP, then closes the session.
        let announce = logger
        let app = try await buildApplication(configuration) { address in
            announce.notice("API listening on \(address)")
        }
        try await app.runService()
    }
}
