import ArgumentParser
import Foundation
import Logging

/// `reactor server`: the API and a manager in one process.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the REST API and a manager in one process.",
        discussion: """
            The same as running `reactor api` and `reactor manager` side by side on this host. Stops \
            gracefully on SIGTERM or SIGINT: the manager hands its endpoints over and unregisters, \
            then the API stops.
            """
    )

    @OptionGroup var zookeeper: ZooKeeperOptions

    @Option(help: "Address the API listens on.")
    var host: String = "0.0.0.0"

    @Option(help: "Port the API listens on.")
    var port: Int = 8080

    @OptionGroup var security: APISecurityOptions

    @OptionGroup var manager: ManagerOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
    }

    func run() async throws {
        var options = LocalNode.Options(zookeeper: zookeeper.connectString, identity: manager.identity())
        options.sessionTimeout = zookeeper.sessionTimeoutDuration
        options.connectTimeout = zookeeper.connectTimeoutDuration
        options.host = host
        options.port = port
        options.logLevel = Logger.Level(rawValue: zookeeper.logLevel) ?? .warning
        options.manager = manager
        options.security = security
        options.zookeeperAuth = try zookeeper.credentials()
        options.acceptOpenACL = zookeeper.acceptOpenACL
        let identity = options.identity
        let node = try await LocalNode.make(options) { address in
            print("API listening on \(address); manager \(identity.name) running as \(identity.id)")
            fflush(nil)
        }
        var logger = Logger(label: "reactor.server")
        logger.logLevel = options.logLevel
        try await runServiceGroup(node.services + [StoppingNotice()], logger: logger)
    }
}
