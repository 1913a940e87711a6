import ArgumentParser
import Foundation
import LocalServices
import Logging
import ReactorCore
import ReactorManager
import ReactorStore
import ServiceLifecycle
import ZooKeeper

/// `reactor up`: a complete local Reactor for a first run.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Bring up a local Reactor: a private ZooKeeper (unless --zookeeper is given), the API and a manager.",
        discussion: """
            With --demo, also an endpoint on the `process` cloud behind the built-in tcp balancer and a \
            load generator, so that the instance count follows the load (printed as it changes). \
            Runs until Ctrl-C (SIGINT) or SIGTERM, then stops everything it started, instances (processes \
            and containers) included; with --zookeeper, whose data outlives it, the instances are kept.
            """
    )

    @Option(name: .customLong("zookeeper"), help: "Use this ZooKeeper ensemble instead of starting a private one.")
    var connectString: String?

    @Option(
        name: .customLong("zookeeper-auth"),
        help: ArgumentHelp(
            "ZooKeeper digest credentials (env REACTOR_ZOOKEEPER_AUTH); every node created is for them alone.",
            valueName: "user:password"))
    var zookeeperAuth: String?

    @Option(help: "Port for the private ZooKeeper (default: a free port).")
    var zookeeperPort: Int?

    @Option(help: "Port the API listens on (on 127.0.0.1).")
    var port: Int = 8080

    @Option(help: "Seconds between passes of the manager's loop.")
    var interval: Double = 2

    @OptionGroup var exposure: APIExposureOptions

    @Flag(help: "Run the demo: an autoscaled endpoint and a load generator.")
    var demo = false

    @Option(help: "Port of the demo endpoint's balancer.")
    var demoPort: Int = 8000

    @Option(help: "Seconds each load level of the demo lasts.")
    var demoPhase: Double = 30

    @Option(help: "Log level of the API and manager: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "warning"

    func validate() throws {
        try exposure.validate()
        for (flag, value) in [("--port", port), ("--demo-port", demoPort)] where !(1...65535).contains(value) {
            throw ValidationError("\(flag) must be between 1 and 65535")
        }
        if let zookeeperPort {
            guard (1...65535).contains(zookeeperPort) else {
                throw ValidationError("--zookeeper-port must be between 1 and 65535")
            }
            guard connectString == nil else {
                throw ValidationError("--zookeeper-port is for the private ZooKeeper; drop it with --zookeeper")
            }
        }
        _ = try ZooKeeperOptions.credentials(zookeeperAuth)
        guard interval > 0 else { throw ValidationError("--interval must be a positive number of seconds") }
        guard demoPhase >= 5 else { throw ValidationError("--demo-phase must be at least 5 seconds") }
        if demo && port == demoPort { throw ValidationError("--port and --demo-port must differ") }
    }

    func run() async throws {
        var services: [any Service] = []
        let hosts: String
        var privateServer = false
        if let connectString {
            hosts = connectString
        } else {
            say("starting a private ZooKeeper …")
            let started = try await ZooKeeperServer.start(options: .init(), port: zookeeperPort)
            privateServer = true
            hosts = started.connectString
            services.append(PrivateZooKeeper(server: started))
            say("ZooKeeper serves on \(hosts) (data in \(started.dataDirectory))")
        }
        var options = LocalNode.Options(zookeeper: hosts, identity: ManagerOptions.identity(name: "local", keys: nil))
        options.host = "127.0.0.1"
        options.port = port
        options.interval = ManagerOptions.interval(interval)
        options.exposeAPI = exposure.exposure(apiPort: port)
        options.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        options.zookeeperAuth = try ZooKeeperOptions.credentials(zookeeperAuth)
        if privateServer {
            // The private ZooKeeper's data goes with it, and nothing would adopt the containers
            // it knew: the manager removes its host's containers as it stops.
            options.endHostInstancesOnShutdown = { cloud, ended in
                say(cloud == "docker" ? "removed \(ended) container(s)" : "ended \(ended) \(cloud) instance(s)")
            }
        }
        let api = "http://127.0.0.1:\(port)"
        let identity = options.identity
        let demo = demo
        let node: LocalNode
        do {
            node = try await LocalNode.make(options) { _ in
                say("API on \(api)   manager \(identity.name) (\(identity.id))")
                say("try: curl \(api)/v1.1/endpoints   or   reactor zk ls /reactor --zookeeper \(hosts)")
                if !demo { say("Press Ctrl-C to stop.") }
            }
        } catch {
            for service in services { await (service as? PrivateZooKeeper)?.server.destroy() }
            throw error
        }
        if privateServer {
            // Shut down after the manager: the instances it leaves behind are ended, then ZooKeeper goes.
            services.append(LocalInstancesCleanup(client: node.managerClient, host: identity.name))
        }
        services += node.services.dropLast()
        if demo {
            services.append(
                DemoService(
                    client: node.managerClient, balancerPort: demoPort, phase: .milliseconds(Int(demoPhase * 1000)),
                    keepsEndpoint: !privateServer))
        }
        services.append(contentsOf: node.services.suffix(1))
        services.append(StoppingNotice())
        var logger = Logger(label: "reactor.up")
        logger.logLevel = options.logLevel
        try await runServiceGroup(services, logger: logger)
        say("stopped")
    }
}

/// Prints a line of `reactor up`'s progress at once.
func say(_ line: String) {
    print(line)
    fflush(nil)
}

/// The private ZooKeeper of `reactor up`: deleted with its data once everything else has stopped.
struct PrivateZooKeeper: Service {
    let server: ZooKeeperServer

    func run() async throws {
        await untilGracefulShutdown()
        await server.destroy()
    }
}

/// Ends the instance processes the local manager leaves behind (with a private ZooKeeper nothing
/// would ever adopt them), after the manager has stopped.
struct LocalInstancesCleanup: Service {
    /// The manager's (by then closed) client: the pid files are kept per name and ensemble.
    let client: ZooKeeperClient
    let host: String

    func run() async throws {
        await untilGracefulShutdown()
        let cloud = ProcessCloud(
            client: client, host: host, apiURL: "", logger: Logger(label: "reactor.up"), liveHosts: { [] })
        let ended = await cloud.endLocalInstances()
        if ended > 0 { say("ended \(ended) instance process(es)") }
    }
}
