import ArgumentParser
import Foundation
import Logging
import ReactorAPI
import ReactorCore
import ReactorManager
import ReactorStore
import ServiceLifecycle
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

    @OptionGroup var manager: ManagerOptions

    func run() async throws {
        var logger = Logger(label: "reactor.manager")
        logger.logLevel = Logger.Level(rawValue: zookeeper.logLevel) ?? .info
        let client: ZooKeeperClient
        do {
            client = try await zookeeper.connect()
        } catch let error as ZooKeeperError {
            throw ValidationFailure(error.message)
        }
        do {
            // Wrong ZooKeeper credentials do not fail the session: find out now, not call by call.
            try await ReactorStore(client: client).checkAccess()
            // Nothing is written before this process has decided to run.
            try await ReactorStore(client: client).refuseOpenACL(acceptOpen: zookeeper.acceptOpenACL)
        } catch {
            await client.close()
            throw ValidationFailure("\(error)")
        }
        let identity = manager.identity()
        var settings = manager.settings(logger: logger)
        settings.acceptOpenACL = zookeeper.acceptOpenACL
        let service = ManagerService(client: client, identity: identity, settings: settings)
        print("manager \(identity.name) running as \(identity.id)")
        fflush(nil)
        var services: [any Service] = [ZooKeeperService(client: client, logger: logger), service]
        if let port = manager.metricsPort, let metrics = settings.metrics {
            services.append(
                ManagerMetricsServer.application(metrics, host: manager.metricsHost, port: port, logger: logger))
        }
        // SIGTERM/SIGINT: the metrics stop, the manager hands its endpoints over and unregisters,
        // then the session closes.
        try await runServiceGroup(services, logger: logger)
    }
}
