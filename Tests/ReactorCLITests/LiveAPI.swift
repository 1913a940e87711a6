import Foundation
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

/// A live system for CLI tests: a `reactor api` process on a free port against a fresh ZooKeeper
/// namespace, and a store on the same namespace to arrange what only managers write (sessions,
/// registered managers, logs) and to check what the commands wrote.
struct LiveAPI: Sendable {
    /// `http://127.0.0.1:<port>`
    let url: String
    /// The ZooKeeper connect string of the API's namespace (`host:port/chroot`).
    let zookeeper: String
    let store: ReactorStore
    var zk: ZooKeeperClient { store.client }

    /// Starts the API, hands it to `body`, and stops it afterwards (printing its log on failure).
    static func with(_ name: String, _ body: (LiveAPI) async throws -> Void) async throws {
        let namespace = try await SharedZooKeeper.instance.namespace(name)
        let port = try LoopbackPorts.free()
        let server = try ManagedProcess(
            [try reactorExecutable(), "api", "--zookeeper", namespace, "--host", "127.0.0.1", "--port", "\(port)"],
            logPath: NSTemporaryDirectory() + "reactor-cli-api-\(UUID().uuidString.prefix(8)).log")
        let zk = try await ZooKeeperClient.connect(.init(connectString: namespace))
        let api = LiveAPI(url: "http://127.0.0.1:\(port)", zookeeper: namespace, store: ReactorStore(client: zk))
        do {
            try await eventually("reactor api listens on port \(port)", timeout: .seconds(60)) {
                guard server.isRunning else { throw LocalServiceError("reactor api exited:\n\(server.logTail())") }
                return LoopbackPorts.isListening(port: port)
            }
            try await body(api)
        } catch {
            Issue.record("reactor api log:\n\(server.logTail(40))")
            await server.kill()
            await zk.close()
            throw error
        }
        await server.kill()
        await zk.close()
    }

    /// Runs `reactor arguments…` against this API (`REACTOR_API`, no key unless given) and waits.
    func run(_ arguments: String..., key: String? = nil, stdin: String? = nil) async throws -> CLIResult {
        try await run(arguments, key: key, stdin: stdin)
    }

    func run(
        _ arguments: [String], key: String? = nil, stdin: String? = nil, environment extra: [String: String] = [:]
    ) async throws -> CLIResult {
        try await CLIProcess(arguments, environment: environment(key: key).merging(extra) { $1 }, stdin: stdin)
            .finish()
    }

    /// Runs the command until `condition` holds for its result (the API reads some nodes through
    /// a watch-fed cache, so a write made directly in ZooKeeper shows a moment later).
    func runUntil(
        _ arguments: String..., key: String? = nil, _ condition: @escaping @Sendable (CLIResult) -> Bool
    ) async throws -> CLIResult {
        var last: CLIResult?
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let result = try await run(arguments, key: key)
            if condition(result) { return result }
            last = result
            try await Task.sleep(for: .milliseconds(100))
        }
        if let last { return last }
        return try await run(arguments, key: key)
    }

    /// Starts a command that keeps running (`log --follow`).
    func start(_ arguments: String..., key: String? = nil, environment extra: [String: String] = [:]) throws
        -> CLIProcess
    {
        try CLIProcess(arguments, environment: environment(key: key).merging(extra) { $1 })
    }

    /// Writes a file in a fresh temporary directory and returns its path.
    func file(_ name: String, _ contents: String) throws -> String {
        let directory = NSTemporaryDirectory() + "reactor-cli-files-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func environment(key: String?) -> [String: String] {
        ["REACTOR_API": url, "REACTOR_AUTH_KEY": key ?? "", "TZ": "UTC"]
    }
}
