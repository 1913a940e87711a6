import Foundation
import Hummingbird
import Logging
import ReactorAPI
import ReactorCore
import ReactorManager
import ServiceLifecycle
import ZooKeeper

/// The REST API and a manager running in this process (`reactor server`, `reactor up`), each
/// with its own ZooKeeper session, as `reactor api` and `reactor manager` would run them.
struct LocalNode {
    struct Options {
        var zookeeper: String
        var sessionTimeout: Double = 10
        var connectTimeout: Double = 15
        var host = "0.0.0.0"
        var port = 8080
        var name: String?
        var interval: Double?
        var keys: Int?
        /// `REACTOR_API` for instances; default `http://127.0.0.1:<port>`.
        var apiURL: String?
        var logLevel: Logger.Level = .warning
    }

    let identity: ManagerIdentity
    let managerClient: ZooKeeperClient
    private let apiGroup: ServiceGroup
    private let api: Task<Void, any Error>
    private let manager: Task<Void, any Error>

    static func start(_ options: Options) async throws -> LocalNode {
        var apiLogger = Logger(label: "reactor.api")
        apiLogger.logLevel = options.logLevel
        let app = try await buildApplication(
            APIConfiguration(
                zookeeper: options.zookeeper, host: options.host, port: options.port,
                sessionTimeout: .milliseconds(Int(max(0.1, options.sessionTimeout) * 1000)),
                connectTimeout: .milliseconds(Int(max(0.1, options.connectTimeout) * 1000)),
                logger: apiLogger))
        // Signals are the command's business: the API stops on a graceful shutdown of its group.
        let apiGroup = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: apiLogger))
        let api = Task { try await apiGroup.run() }

        var managerLogger = Logger(label: "reactor.manager")
        managerLogger.logLevel = options.logLevel
        let client: ZooKeeperClient
        do {
            client = try await ZooKeeperClient.connect(
                .init(
                    connectString: options.zookeeper,
                    sessionTimeout: .milliseconds(Int(max(0.1, options.sessionTimeout) * 1000)),
                    connectTimeout: .milliseconds(Int(max(0.1, options.connectTimeout) * 1000)),
                    logger: managerLogger))
        } catch {
            await apiGroup.triggerGracefulShutdown()
            _ = await api.result
            throw error
        }
        let identity = ManagerIdentity(
            name: options.name ?? HostFacts.defaultName(), keyCount: options.keys ?? ManagerConfig().keys,
            clouds: HostFacts.availableClouds(), loadBalancers: HostFacts.availableLoadBalancers(),
            ips: HostFacts.addresses())
        var settings = ManagerSettings(logger: managerLogger)
        let local = options.host == "0.0.0.0" || options.host == "::" ? "127.0.0.1" : options.host
        settings.apiURL = options.apiURL ?? "http://\(local):\(options.port)"
        settings.keyCount = options.keys
        if let interval = options.interval { settings.interval = .milliseconds(Int(max(0.05, interval) * 1000)) }
        let service = ManagerService(client: client, identity: identity, settings: settings)
        let manager = Task { try await service.run() }
        return LocalNode(identity: identity, managerClient: client, apiGroup: apiGroup, api: api, manager: manager)
    }

    /// Stops the manager first (it hands its endpoints over and unregisters), then the API.
    func stop() async {
        manager.cancel()
        _ = await manager.result
        await managerClient.close()
        await apiGroup.triggerGracefulShutdown()
        _ = await api.result
    }
}
