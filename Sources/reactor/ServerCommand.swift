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

    @Option(help: "The manager's name (default: this host's primary IP).")
    var name: String?

    @Option(help: "Seconds between passes of the manager's loop; overrides the configuration's [manager] interval.")
    var interval: Double?

    @Option(help: "Number of keys the manager places on the ownership ring (default: the configuration's, 64).")
    var keys: Int?

    @Option(help: "The API URL given to instances (REACTOR_API) when /reactor/url is not set (default: this API).")
    var api: String?

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        if let keys, !(1...1024).contains(keys) { throw ValidationError("--keys must be between 1 and 1024") }
        if let interval, !(interval > 0) { throw ValidationError("--interval must be a positive number of seconds") }
    }

    func run() async throws {
        var options = LocalNode.Options(zookeeper: zookeeper.connectString)
        options.sessionTimeout = zookeeper.sessionTimeout
        options.connectTimeout = zookeeper.connectTimeout
        options.host = host
        options.port = port
        options.name = name
        options.interval = interval
        options.keys = keys
        options.apiURL = api
        options.logLevel = Logger.Level(rawValue: zookeeper.logLevel) ?? .warning
        let node = try await LocalNode.start(options)
        print("API listening on \(host):\(port); manager \(node.identity.name) running as \(node.identity.id)")
        fflush(nil)
        await Signals.waitForTermination()
        print("stopping …")
        fflush(nil)
        await node.stop()
    }
}
