import ArgumentParser
import Foundation
import Logging
import ZooKeeper
import ReactorStore
import ZooKeeperTesting

/// `reactor up`: a complete local Reactor for a first run.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Bring up a local Reactor: a private ZooKeeper (unless --zookeeper is given) with Reactor's layout.",
        discussion: "Runs until Ctrl-C (SIGINT) or SIGTERM, then stops everything it started."
    )

    @Option(name: .customLong("zookeeper"), help: "Use this ZooKeeper ensemble instead of starting a private one.")
    var connectString: String?

    @Option(help: "Port for the private ZooKeeper (default: a free port).")
    var zookeeperPort: Int?

    func run() async throws {
        var logger = Logger(label: "reactor.up")
        logger.logLevel = .info
        var server: ZooKeeperServer?
        let hosts: String
        if let connectString {
            hosts = connectString
        } else {
            print("starting a private ZooKeeper …")
            let started = try await ZooKeeperServer.start(options: .init(), port: zookeeperPort)
            server = started
            hosts = started.connectString
            print("ZooKeeper is serving on \(hosts) (data in \(started.dataDirectory))")
        }
        do {
            let zk = try await ZooKeeperClient.connect(.init(connectString: hosts, logger: logger))
            try await ReactorStore(client: zk).prepareLayout()
            await zk.close()
            print("Reactor's state lives under /reactor in ZooKeeper at \(hosts).")
            print("Try: reactor zk ls /reactor --zookeeper \(hosts)")
            print("Press Ctrl-C to stop.")
            fflush(nil)
            await Signals.waitForTermination()
            print("stopping …")
        } catch {
            await server?.destroy()
            throw error
        }
        await server?.destroy()
    }
}
