import ArgumentParser
import Foundation
import Logging
import ReactorCore
import ReactorManager
import ZooKeeper

/// `reactor manager`: the agent that runs on every host.
struct ManagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manager",
        abstract: "Run the manager agent: take a share of the endpoints, scale them, drive the local balancers.",
        discussion: """
            Reads its configuration from /reactor/managers/configs/<name>. Stops on SIGTERM or SIGINT, \
            after giving up its endpoints and unregistering so the other managers take over at once.
            """
    )

    @OptionGroup var zookeeper: ZooKeeperOptions

    @Option(help: "The manager's name: its configuration and log are kept under it (default: this host's primary IP).")
    var name: String?

    @Option(help: "Seconds between passes of the loop; overrides the configuration's [manager] interval.")
    var interval: Double?

    @Option(help: "Number of keys this manager places on the ownership ring; overrides the configuration's [manager] keys (default 64).")
    var keys: Int?

    @Option(help: "The API URL given to instances (REACTOR_API) when /reactor/url is not set.")
    var api: String = "http://127.0.0.1:8080"

    @Option(help: "Address the dnsmasq balancer answers DNS queries on (dns:// endpoints).")
    var dnsListen: String = "0.0.0.0"

    @Option(help: "Port the dnsmasq balancer answers DNS queries on.")
    var dnsPort: Int = 53

    func validate() throws {
        guard (1...65535).contains(dnsPort) else { throw ValidationError("--dns-port must be between 1 and 65535") }
        if let keys, !(1...1024).contains(keys) { throw ValidationError("--keys must be between 1 and 1024") }
        if let interval, !(interval > 0) { throw ValidationError("--interval must be a positive number of seconds") }
    }

    func run() async throws {
        var logger = Logger(label: "reactor.manager")
        logger.logLevel = Logger.Level(rawValue: zookeeper.logLevel) ?? .info
        let client: ZooKeeperClient
        do {
            client = try await zookeeper.connect()
        } catch let error as ZooKeeperError {
            throw ValidationFailure(error.message)
        }
        let identity = ManagerIdentity(
            name: name ?? HostFacts.defaultName(), keyCount: keys ?? ManagerConfig().keys, clouds: HostFacts.availableClouds(),
            loadBalancers: HostFacts.availableLoadBalancers(), ips: HostFacts.addresses())
        var settings = ManagerSettings(logger: logger)
        settings.apiURL = api
        settings.keyCount = keys
        settings.dnsListen = dnsListen
        settings.dnsPort = dnsPort
        if let interval { settings.interval = .milliseconds(Int(max(0.05, interval) * 1000)) }
        let service = ManagerService(client: client, identity: identity, settings: settings)
        print("manager \(identity.name) running as \(identity.id)")
        fflush(nil)
        let running = Task { try await service.run() }
        await Signals.waitForTermination()
        running.cancel()
        _ = await running.result
        await client.close()
    }
}
