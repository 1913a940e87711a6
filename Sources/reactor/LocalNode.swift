import Foundation
import Hummingbird
import Logging
import ReactorAPI
import ReactorCore
import ReactorManager
import ServiceLifecycle
import Synchronization
import ZooKeeper

/// The REST API and a manager running in this process (`reactor server`, `reactor up`), each
/// with its own ZooKeeper session, as `reactor api` and `reactor manager` would run them.
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
        /// ZooKeeper digest credentials of both sessions; default none.
        var zookeeperAuth: ZooKeeperClient.DigestCredentials?
    }

    let managerClient: ZooKeeperClient
    private let apiGroup: ServiceGroup
    private let api: Task<Void, any Error>
    private let manager: Task<Void, any Error>

    static func start(_ options: Options) async throws -> LocalNode {
        var apiLogger = Logger(label: "reactor.api")
        apiLogger.logLevel = options.logLevel
        var configuration = APIConfiguration(
            zookeeper: options.zookeeper, host: options.host, port: options.port,
            sessionTimeout: options.sessionTimeout, connectTimeout: options.connectTimeout, logger: apiLogger)
        options.security?.apply(to: &configuration)
        configuration.zookeeperAuth = options.zookeeperAuth
        let app = try await buildApplication(configuration)
        // Signals are the command's business: the API stops on a graceful shutdown of its group.
        let apiGroup = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [], logger: apiLogger))
        let api = Task { try await apiGroup.run() }
        do {
            try await waitUntilListening(options, api: api)
        } catch {
            await apiGroup.triggerGracefulShutdown()
            _ = await api.result
            throw error
        }

        var managerLogger = Logger(label: "reactor.manager")
        managerLogger.logLevel = options.logLevel
        let client: ZooKeeperClient
        do {
            client = try await ZooKeeperClient.connect(
                .init(
                    connectString: options.zookeeper,
                    sessionTimeout: options.sessionTimeout, connectTimeout: options.connectTimeout,
                    logger: managerLogger, authentication: options.zookeeperAuth))
        } catch {
            await apiGroup.triggerGracefulShutdown()
            _ = await api.result
            throw error
        }
        let local = options.host == "0.0.0.0" || options.host == "::" ? "127.0.0.1" : options.host
        var settings = (options.manager ?? ManagerOptions.defaults).settings(
            logger: managerLogger, localAPI: "\(options.security?.tlsCert == nil ? "http" : "https")://\(local):\(options.port)")
        if settings.interval == nil { settings.interval = options.interval }
        let service = ManagerService(client: client, identity: options.identity, settings: settings)
        let manager = Task { try await service.run() }
        return LocalNode(managerClient: client, apiGroup: apiGroup, api: api, manager: manager)
    }

    /// Returns once the API accepts connections; throws when it stopped instead (its port is
    /// taken, say), so that a command never reports an API that is not there.
    private static func waitUntilListening(_ options: Options, api: Task<Void, any Error>) async throws {
        let ended = Mutex(false)
        let watcher = Task {
            _ = await api.result
            ended.withLock { $0 = true }
        }
        defer { watcher.cancel() }
        let deadline = ContinuousClock.now + options.connectTimeout
        while ContinuousClock.now < deadline {
            if ended.withLock({ $0 }) {
                if case .failure(let error) = await api.result {
                    throw ValidationFailure("the API cannot serve on \(options.host):\(options.port): \(error)")
                }
                throw ValidationFailure("the API stopped before serving on \(options.host):\(options.port)")
            }
            if listensHere(port: options.port) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ValidationFailure(
            "the API did not start serving on \(options.host):\(options.port) within \(options.connectTimeout)")
    }

    /// Whether this process has a socket listening on `port` (another process's listener on the
    /// same port, which makes our bind fail, does not count).
    private static func listensHere(port: Int) -> Bool {
        var inodes: Set<String> = []
        let wanted = String(format: ":%04X", port)
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            let text = (try? String(contentsOfFile: table, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                // sl local_address rem_address st … inode (field 10); st 0A is LISTEN.
                guard fields.count > 9, fields[3] == "0A", fields[1].hasSuffix(wanted) else { continue }
                inodes.insert(String(fields[9]))
            }
        }
        guard !inodes.isEmpty, let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
        else { return false }
        return descriptors.contains { fd in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)") else {
                return false
            }
            return target.hasPrefix("socket:[") && inodes.contains(String(target.dropFirst(8).dropLast()))
        }
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
