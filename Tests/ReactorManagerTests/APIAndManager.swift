import Foundation
import Testing
import ZooKeeperTesting

/// `reactor api` and one `reactor manager` as separate processes on a fresh ZooKeeper namespace,
/// the way the end-to-end tests run them: both log into a folder of their own, where the manager
/// also keeps its instances' pid files and logs (through `TMPDIR`).
struct APIAndManager {
    let namespace: String
    /// The folder with `api.log`, `manager.log` and the manager's `reactor-instances`.
    let logs: String
    let managerName: String
    let api: ManagedProcess
    let manager: ManagedProcess
    /// A client of the API.
    let http: HTTP

    /// Starts both on free loopback ports; the API is not necessarily answering yet.
    ///
    /// - Parameters:
    ///   - label: names the ZooKeeper namespace and the log folder.
    ///   - name: the manager's `--name`.
    ///   - interval: the manager's `--interval`; default `0.3` (seconds).
    ///   - managerArguments: further options of the manager.
    ///   - environment: added to both processes' environments; default none.
    static func start(
        _ label: String, manager name: String, interval: String = "0.3", managerArguments: [String] = [],
        environment: [String: String] = [:]
    ) async throws -> APIAndManager {
        let namespace = try await SharedZooKeeper.instance.namespace(label)
        let apiPort = try LoopbackPorts.free()
        let logs = NSTemporaryDirectory() + "reactor-\(label)-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let binary = try reactorExecutable()
        let api = try ManagedProcess(
            [binary, "api", "--zookeeper", namespace, "--host", "127.0.0.1", "--port", "\(apiPort)"],
            environment: environment, logPath: logs + "/api.log")
        let manager = try ManagedProcess(
            [
                binary, "manager", "--zookeeper", namespace, "--name", name, "--interval", interval,
                "--api", "http://127.0.0.1:\(apiPort)", "--log-level", "info",
            ] + managerArguments,
            environment: environment.merging(["TMPDIR": logs + "/"]) { _, folder in folder },
            logPath: logs + "/manager.log")
        return APIAndManager(
            namespace: namespace, logs: logs, managerName: name, api: api, manager: manager,
            http: HTTP(base: "http://127.0.0.1:\(apiPort)"))
    }

    /// Kills the instance processes this manager started (found by their pid files).
    func killInstances() {
        killInstanceProcesses(hosts: [managerName], base: logs + "/reactor-instances")
    }

    /// Runs `body` once the API answers; afterwards (or when it throws, with the manager's last
    /// log lines recorded as an issue) kills both processes and the instances.
    func run(_ body: (APIAndManager) async throws -> Void) async throws {
        defer { killInstances() }
        do {
            try await eventually("the API answers") { (try? await http.get("/"))?.status == 200 }
            try await body(self)
        } catch {
            Issue.record("manager log:\n\(manager.logTail(40))")
            await manager.kill()
            await api.kill()
            throw error
        }
        await manager.kill()
        await api.kill()
    }
}
