import Foundation

/// A real ZooKeeper server (Debian's `zookeeper` package) on a free loopback port with a
/// private data directory, for tests, benchmarks and `reactor up`.
///
/// The server's admin HTTP server is off (it would take port 8080, the API's), four-letter
/// words are enabled for health checks, and the tick is short so that session timeouts of a
/// second or two are allowed.
public final class ZooKeeperServer: @unchecked Sendable {
    // @unchecked: `process` is only replaced by start/stop, which tests call from one task.

    /// Settings for servers started by tests.
    public struct Options: Sendable {
        /// ZooKeeper's tick in milliseconds; the smallest session timeout is two ticks. Default 200.
        public var tickTime: Int = 200
        /// The largest session timeout the server grants, in milliseconds. Default 60,000.
        public var maxSessionTimeout: Int = 60_000
        /// JVM flags. The default favours start-up time and a small heap.
        public var jvmFlags: [String] = ZooKeeperConfigFile.defaultJVMFlags
        /// How long to wait for the server to answer. Default 60 s.
        public var startTimeout: Duration = .seconds(60)

        public init() {}
    }

    public let clientPort: Int
    public let dataDirectory: String
    public let options: Options
    let configPath: String
    private var process: ManagedProcess?

    /// `127.0.0.1:port`.
    public var connectString: String { "127.0.0.1:\(clientPort)" }

    /// Starts a standalone server.
    ///
    /// - Parameters:
    ///   - options: server settings (defaults suit tests).
    ///   - port: the client port (default: a free port).
    public static func start(options: Options = Options(), port: Int? = nil) async throws -> ZooKeeperServer {
        let server = try ZooKeeperServer(
            clientPort: port ?? LoopbackPorts.free(), directory: makeTemporaryDirectory("zk"), options: options,
            peers: nil, myID: 1)
        try await server.start()
        return server
    }

    init(clientPort: Int, directory: String, options: Options, peers: [(peer: Int, election: Int)]?, myID: Int) throws {
        self.clientPort = clientPort
        self.dataDirectory = directory + "/data"
        self.options = options
        self.configPath = directory + "/zoo.cfg"
        var file = ZooKeeperConfigFile(dataDirectory: dataDirectory, clientPort: clientPort)
        file.tickTime = options.tickTime
        file.maxSessionTimeout = options.maxSessionTimeout
        file.peers = peers ?? []
        try file.write(to: configPath, myID: myID)
    }

    /// Starts (or restarts) the server process and waits until it answers `ruok`.
    public func start() async throws {
        guard process == nil else { return }
        try launch()
        try await waitUntilServing()
    }

    /// Starts the process without waiting (for ensemble members that need their peers).
    func launch() throws {
        guard process == nil else { return }
        process = try ManagedProcess(
            ZooKeeperConfigFile.serverCommand(configPath: configPath, jvmFlags: options.jvmFlags),
            logPath: dataDirectory + "/../server.log")
    }

    /// Waits until the server answers `ruok` with `imok`.
    public func waitUntilServing() async throws {
        let deadline = ContinuousClock.now + options.startTimeout
        while ContinuousClock.now < deadline {
            if await LoopbackPorts.exchange(port: clientPort, command: "ruok") == "imok", isServing {
                return
            }
            if let process, !process.isRunning {
                throw LocalServiceError("ZooKeeper on port \(clientPort) exited:\n\(process.logTail())")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw LocalServiceError("ZooKeeper on port \(clientPort) did not start in time:\n\(process?.logTail() ?? "")")
    }

    /// Whether the server serves clients (standalone, or an ensemble member in a quorum).
    public var isServing: Bool {
        guard let mode else { return false }
        return ["standalone", "leader", "follower"].contains(mode)
    }

    /// The server's mode from `srvr`: `standalone`, `leader`, `follower`, or nil when down.
    public var mode: String? {
        guard let reply = LoopbackPorts.exchange(port: clientPort, command: "srvr") else { return nil }
        for line in reply.split(separator: "\n") where line.hasPrefix("Mode: ") {
            return String(line.dropFirst("Mode: ".count)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// Kills the server (SIGKILL). Its data stays, so ``start()`` brings it back with its state.
    public func stop() async {
        guard let process else { return }
        self.process = nil
        await process.kill()
    }

    /// Kills the server and deletes its data.
    public func destroy() async {
        await stop()
        do {
            try FileManager.default.removeItem(atPath: ZooKeeperServer.parentDirectory(of: dataDirectory))
        } catch {
            // A scratch folder left behind is harmless (it is under the temporary directory);
            // the server itself is gone.
        }
    }

    static func parentDirectory(of path: String) -> String {
        (path as NSString).deletingLastPathComponent
    }

    static func makeTemporaryDirectory(_ prefix: String) throws -> String {
        let base = ProcessInfo.processInfo.environment["REACTOR_TEST_TMPDIR"] ?? NSTemporaryDirectory()
        let path = (base as NSString).appendingPathComponent("reactor-\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
