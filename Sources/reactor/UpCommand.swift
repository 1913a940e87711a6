import ArgumentParser
import Foundation
import LocalServices
import Logging
import ReactorCore
import ReactorManager
import ReactorStore
import ZooKeeper

/// `reactor up`: a complete local Reactor for a first run.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Bring up a local Reactor: a private ZooKeeper (unless --zookeeper is given), the API and a manager.",
        discussion: """
            With --demo, also an endpoint on the `process` cloud behind the built-in tcp balancer and a \
            load generator, so that the instance count follows the load (printed as it changes). \
            Runs until Ctrl-C (SIGINT) or SIGTERM, then stops everything it started, instances included.
            """
    )

    @Option(name: .customLong("zookeeper"), help: "Use this ZooKeeper ensemble instead of starting a private one.")
    var connectString: String?

    @Option(help: "Port for the private ZooKeeper (default: a free port).")
    var zookeeperPort: Int?

    @Option(help: "Port the API listens on (on 127.0.0.1).")
    var port: Int = 8080

    @Option(help: "Seconds between passes of the manager's loop.")
    var interval: Double = 2

    @Flag(help: "Run the demo: an autoscaled endpoint and a load generator.")
    var demo = false

    @Option(help: "Port of the demo endpoint's balancer.")
    var demoPort: Int = 8000

    @Option(help: "Seconds each load level of the demo lasts.")
    var demoPhase: Double = 30

    @Option(help: "Log level of the API and manager: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "warning"

    func validate() throws {
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
        guard interval > 0 else { throw ValidationError("--interval must be a positive number of seconds") }
        guard demoPhase >= 5 else { throw ValidationError("--demo-phase must be at least 5 seconds") }
        if demo && port == demoPort { throw ValidationError("--port and --demo-port must differ") }
    }

    func run() async throws {
        var zookeeperServer: ZooKeeperServer?
        let hosts: String
        if let connectString {
            hosts = connectString
        } else {
            say("starting a private ZooKeeper …")
            let started = try await ZooKeeperServer.start(options: .init(), port: zookeeperPort)
            zookeeperServer = started
            hosts = started.connectString
            say("ZooKeeper serves on \(hosts) (data in \(started.dataDirectory))")
        }
        var options = LocalNode.Options(zookeeper: hosts, identity: ManagerOptions.identity(name: "local", keys: nil))
        options.host = "127.0.0.1"
        options.port = port
        options.interval = ManagerOptions.interval(interval)
        options.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        let node: LocalNode
        do {
            node = try await LocalNode.start(options)
        } catch {
            await zookeeperServer?.destroy()
            throw error
        }
        let api = "http://127.0.0.1:\(port)"
        say("API on \(api)   manager \(options.identity.name) (\(options.identity.id))")
        say("try: curl \(api)/v1.1/endpoints   or   reactor zk ls /reactor --zookeeper \(hosts)")

        var demoRun: Task<Void, Never>?
        var demoScript: String?
        if demo {
            do {
                let script = try DemoEndpoint.writeInstanceScript()
                demoScript = script
                let endpoint = DemoEndpoint(client: node.managerClient, balancerPort: demoPort, instanceScript: script)
                try await endpoint.create()
                say("demo: endpoint 'demo' on the process cloud, balanced on tcp://127.0.0.1:\(demoPort)")
                say(
                    "demo: rules '\(DemoEndpoint.rules)', \(DemoEndpoint.minInstances)–\(DemoEndpoint.maxInstances) instances"
                )
                let phase = demoPhase
                demoRun = Task { await endpoint.run(phase: .milliseconds(Int(phase * 1000))) }
            } catch {
                say("demo: could not set up the demo endpoint: \(error)")
            }
        }
        say("Press Ctrl-C to stop.")
        await Signals.waitForTermination()
        say("stopping …")
        demoRun?.cancel()
        await demoRun?.value
        if zookeeperServer == nil && demo {
            // A shared ZooKeeper keeps the demo endpoint: leave it stopped, with no instance.
            await stopDemo(node.managerClient)
        }
        await node.stop()
        if zookeeperServer != nil {
            // The manager's pid files are kept per name and ensemble, hence its (closed) client.
            let cloud = ProcessCloud(
                client: node.managerClient, host: options.identity.name, apiURL: "",
                logger: Logger(label: "reactor.up"),
                liveHosts: { [] })
            let ended = await cloud.endLocalInstances()
            if ended > 0 { say("ended \(ended) instance process(es)") }
        }
        if let demoScript { try? FileManager.default.removeItem(atPath: demoScript) }
        await zookeeperServer?.destroy()
        say("stopped")
    }

    /// Sets the demo endpoint STOPPED and waits (up to 20 s) until its instances are gone.
    private func stopDemo(_ client: ZooKeeperClient) async {
        let store = ReactorStore(client: client)
        guard let id = try? await store.endpointID(named: DemoEndpoint.name) else { return }
        try? await store.setEndpointState(.stopped, id: id, name: DemoEndpoint.name)
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, ((try? await store.instances(id: id).count) ?? 0) > 0 {
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    private func say(_ line: String) {
        print(line)
        fflush(nil)
    }
}
