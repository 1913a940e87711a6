import Foundation
import Hummingbird
import Logging
import NIOCore
import ReactorAPI
import ReactorCore
import ReactorManager
import ServiceLifecycle
import Synchronization
import UnixSignals
import ZooKeeper

/// The REST API and a manager in this process (`reactor server`, `reactor up`), each with its own
/// ZooKeeper session, as `reactor api` and `reactor manager` would run them: the services of one
/// `ServiceGroup`, ZooKeeper first and HTTP last, so that SIGTERM/SIGINT stops the API first,
/// then the manager (it hands its endpoints over and unregisters), then the manager's session.
struct LocalNode {
    struct Options {
        var zookeeper: String
        var identity: ManagerIdentity
        var sessionTimeout: Duration = .seconds(10)
        var connectTimeout: Duration = .seconds(15)
        var host = "0.0.0.0"
        var port = 8080
        var logLevel: Logger.Level = .warning
        /// The manager's command-line options, when given (`reactor server`).
        var manager: ManagerOptions?
        /// The manager's loop interval when `manager` does not say.
        var interval: Duration?
        /// How the API is protected (`reactor server`); default: no key file, not open.
        var security: APISecurityOptions?
        /// The API through this host's nginx (`reactor up --expose-api`); default none.
        var exposeAPI: APIExposure?
        /// ZooKeeper digest credentials of both sessions; default none.
        var zookeeperAuth: ZooKeeperClient.DigestCredentials?
        /// Run although Reactor's base nodes are open to anyone (`--accept-open-acl`); default false.
        var acceptOpenACL = false
        /// Set when the installation ends with this node (`reactor up` with a private ZooKeeper):
        /// the manager ends its host's containers on shutdown and reports them here
        /// (``ManagerSettings/endHostInstancesOnShutdown``); default nil, they are kept.
        var endHostInstancesOnShutdown: (@Sendable (_ cloud: String, _ ended: Int) -> Void)?
    }

    /// The manager's session (open once ``make(_:onListening:)`` returns).
    let managerClient: ZooKeeperClient
    /// In start order: the manager's session, the manager, the API.
    let services: [any Service]

    /// Connects the manager's and the API's sessions and builds the services; nothing serves
    /// until they run.
    /// - Parameter onListening: called once the API listens, with its address.
    static func make(_ options: Options, onListening: @escaping @Sendable (String) async -> Void) async throws
        -> LocalNode
    {
        var managerLogger = Logger(label: "reactor.manager")
        managerLogger.logLevel = options.logLevel
        let client = try await ZooKeeperClient.connect(
            .init(
                connectString: options.zookeeper, sessionTimeout: options.sessionTimeout,
                connectTimeout: options.connectTimeout, logger: managerLogger,
                authentication: options.zookeeperAuth))
        var apiLogger = Logger(label: "reactor.api")
        apiLogger.logLevel = options.logLevel
        var configuration = APIConfiguration(
            zookeeper: options.zookeeper, host: options.host, port: options.port,
            sessionTimeout: options.sessionTimeout, connectTimeout: options.connectTimeout, logger: apiLogger)
        options.security?.apply(to: &configuration)
        configuration.zookeeperAuth = options.zookeeperAuth
        configuration.acceptOpenACL = options.acceptOpenACL
        let app: any Service
        do {
            app = try await buildApplication(configuration, onServerRunning: onListening)
        } catch {
            await client.close()
            throw error
        }
        let local = options.host == "0.0.0.0" || options.host == "::" ? "127.0.0.1" : options.host
        var settings = (options.manager ?? ManagerOptions.defaults).settings(
            logger: managerLogger,
            localAPI: "\(options.security?.tlsCert == nil ? "http" : "https")://\(local):\(options.port)")
        if settings.interval == nil { settings.interval = options.interval }
        settings.acceptOpenACL = options.acceptOpenACL
        if let exposure = options.exposeAPI { settings.exposeAPI = exposure }
        if let report = options.endHostInstancesOnShutdown { settings.endHostInstancesOnShutdown = report }
        let manager = ManagerService(client: client, identity: options.identity, settings: settings)
        var services: [any Service] = [ZooKeeperService(client: client, logger: managerLogger), manager]
        if let port = options.manager?.metricsPort, let metrics = settings.metrics,
            let host = options.manager?.metricsHost
        {
            services.append(ManagerMetricsServer.application(metrics, host: host, port: port, logger: managerLogger))
        }
        services.append(APIServerService(app: app, address: "\(options.host):\(options.port)"))
        return LocalNode(managerClient: client, services: services)
    }
}

/// The API application as a service whose failure to start says where it could not serve.
struct APIServerService: Service {
    let app: any Service
    /// `host:port`, for the message.
    let address: String

    func run() async throws {
        do {
            try await app.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ValidationFailure(
                "the API cannot serve on \(address): the port is already in use by another program; "
                    + "choose another with --port (or stop what listens there)")
        } catch let error as IOError {
            throw ValidationFailure(
                "the API cannot serve on \(address): \(String(cString: strerror(error.errnoCode))) (errno \(error.errnoCode))"
            )
        } catch {
            throw ValidationFailure("the API cannot serve on \(address): \(error)")
        }
    }
}

/// Runs `services` in one `ServiceGroup` that shuts down gracefully on SIGTERM and SIGINT, in the
/// reverse of their order; the first failure shuts the rest down the same way and is rethrown.
func runServiceGroup(_ services: [any Service], logger: Logger) async throws {
    let group = ServiceGroup(
        configuration: .init(
            services: services.map {
                .init(
                    service: $0, successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup)
            },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
}

/// Returns when SIGTERM or SIGINT arrives (for the client commands that hold until stopped; the
/// long-running ones get them through their `ServiceGroup`).
func waitForTerminationSignal() async {
    for await _ in await UnixSignalsSequence(trapping: .sigterm, .sigint) { return }
}
