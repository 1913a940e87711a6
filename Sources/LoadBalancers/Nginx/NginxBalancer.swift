import Logging
import ProcessSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `nginx` load balancer: serves `http[s]://host[:port][/path]` services through an nginx master of its
/// own, started from a working directory (so it needs neither root nor the system's nginx).
///
/// ```swift
/// let balancer = NginxBalancer(directory: stateDirectory + "/nginx")
/// try await balancer.configure([
///     BalancedService(url: "http://127.0.0.1:8080/", backends: [Backend(ip: "127.0.1.1", port: 8000)],
///                     settings: ["sticky_sessions": "true"]),      // the [loadbalancer:nginx] section
/// ])
/// let metrics = await balancer.metrics()   // ["127.0.1.1:8000": ["rate": [1, 12.5], "response": [1, 3.2], ...]]
/// await balancer.shutdown()
/// ```
///
/// Every `configure` renders `nginx.conf` (see ``NginxConfiguration``), has `nginx -t` check it, and only
/// then puts it in place: the first starts the master, later ones reload it with SIGHUP, which starts
/// workers on the new configuration and lets the old ones finish the requests they are serving, so no
/// request fails across a reload. A configuration nginx rejects is not applied and `configure` throws
/// nginx's message. A master left running by an earlier run in the same directory (the manager died) is
/// adopted and reloaded rather than started twice.
///
/// Metrics come from the access log (see ``NginxAccessLog``). nginx holds no connection waiting for a
/// backend (a service without one answers 503, or 302 to its `redirect`), so ``pending()`` is empty; and
/// an HTTP "session" is one request to nginx, routed afresh each time (stickiness is a hash of the client
/// address, not a connection that could be listed or cut), so ``sessions()`` is empty and
/// ``dropSession(_:)`` finds nothing.
public actor NginxBalancer: LoadBalancerDriver, MasterDriver {
    private let directory: String
    private let executable: String?
    private let quitTimeout: Duration
    let program: MasterProgram<NginxBalancerError>
    private let configuration: NginxConfiguration
    private let tlsFiles: NginxTLSFiles
    var master: MasterProcess?
    private var applied: String?
    private var weights: [String: Double] = [:]
    private var accessLog: NginxAccessLog
    private var lastMetricsAt = ContinuousClock.now
    private var configurations = ConfigurationChain()

    /// - Parameters:
    ///   - directory: the working directory (created 0755 if missing): `nginx.conf`, `nginx.pid`, `access.log`,
    ///     `error.log`, `temp/`. Each balancer needs its own.
    ///   - executable: the nginx binary; default `nginx` found on PATH or in /usr/sbin.
    ///   - user: the `user` workers run as when the master runs as root; default `nil` (nginx's default,
    ///     `nobody`, which must be able to enter `directory`). Ignored by nginx when not run as root.
    ///   - quitTimeout: how long ``shutdown()`` lets requests finish before killing nginx; default 10 s.
    ///   - logger: diagnostics; default label `reactor.lb.nginx`.
    public init(
        directory: String,
        executable: String? = nil,
        user: String? = nil,
        quitTimeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "reactor.lb.nginx")
    ) {
        let directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.directory = directory
        self.executable = executable ?? FileSystem.findExecutable("nginx")
        self.quitTimeout = quitTimeout
        self.program = MasterProgram(name: "nginx", logger: logger, problems: Self.problems(in:))
        self.configuration = NginxConfiguration(directory: directory, user: user)
        self.tlsFiles = NginxTLSFiles(directory: directory, logger: logger)
        self.accessLog = NginxAccessLog(path: configuration.accessLogPath)
    }

    /// Whether nginx is installed here (on PATH or in /usr/sbin): a manager advertises the driver only then.
    public static func isInstalled() -> Bool {
        FileSystem.findExecutable("nginx") != nil
    }

    /// The master's pid while it runs.
    public var masterPID: Int32? {
        master.flatMap { $0.isRunning ? $0.pid : nil }
    }

    public func configure(_ services: [BalancedService]) async throws {
        // Checking and reloading suspend the actor; chaining keeps two calls from interleaving.
        try await configurations.append { try await self.apply(services) }.value
    }

    private func apply(_ services: [BalancedService]) async throws(NginxBalancerError) {
        guard let executable else { throw .notInstalled }
        let services = try await tlsFiles.materialize(services)
        let text = try configuration.render(services)
        let weights = BalancedService.backendWeights(services)
        if text == applied, master?.isRunning == true {
            self.weights = weights
            return
        }
        let path = directory + "/nginx.conf"
        try await put(
            // No readable earlier file: nothing to put back should the new one be refused.
            text, at: path, previous: applied ?? FileSystem.readIfPresent(path), creating: directory + "/temp",
            executable: executable,
            checkArguments: { [directory] in [executable, "-t", "-q", "-p", directory + "/", "-c", $0] },
            checkOutput: directory + "/check.out", alert: "[emerg]")
        applied = text
        self.weights = weights
    }

    /// As start() does: the first metrics() covers what follows, not the earlier run's log.
    func masterAdopted() {
        accessLog.skipToEnd()
        lastMetricsAt = .now
    }

    func start(_ executable: String, configuration path: String) async throws(NginxBalancerError) {
        accessLog.skipToEnd()
        lastMetricsAt = .now
        let output = directory + "/nginx.out"
        // Started once its workers run; a master that exits (a port in use) says why in its error log.
        master = try await program.start(
            [executable, "-p", directory + "/", "-c", path], outputPath: output, awaited: "start its workers",
            exitReason: { [configuration] in
                let log = FileSystem.textForMessage(configuration.errorLogPath)
                return Self.problems(in: FileSystem.textForMessage(output) + log)
            },
            isReady: { child in
                ProcessTable.children(of: child.pid).contains { $0.commandLine.contains("worker process") }
            })
    }

    /// SIGHUP, then waits until new workers run and the old ones no longer take requests.
    func reload(_ master: MasterProcess) async throws(NginxBalancerError) {
        let old = Set(ProcessTable.children(of: master.pid).map(\.pid))
        // Only what the reload adds to the error log is read, however long the log has grown.
        let logStart = FileSystem.size(configuration.errorLogPath)
        try await program.reload(master, signal: SIGHUP) { () throws(NginxBalancerError) in
            let workers = ProcessTable.children(of: master.pid)
            let fresh = workers.contains { !old.contains($0.pid) && $0.commandLine.hasSuffix("worker process") }
            let oldServing = workers.contains { old.contains($0.pid) && $0.commandLine.hasSuffix("worker process") }
            if fresh && !oldServing { return true }
            // Not readable (yet): nothing new logged; the wait goes on until its deadline.
            let news = FileSystem.readIfPresent(configuration.errorLogPath, from: logStart) ?? ""
            // A taken listen address is retried by nginx for about 2.5 s, logging each try; the reload
            // has failed only once it gives up, and lines of its tries must not be read as the next one's.
            if news.contains("bind() to") && !news.contains("still could not bind()") { return false }
            if news.contains("[emerg]") || news.contains("[alert]") {
                throw .failed(
                    "nginx could not reload (the previous configuration keeps serving): \(Self.problems(in: news))")
            }
            return false
        }
    }

    /// A master recorded in this directory's pid file that still runs, from an earlier run of the manager.
    func adoptableMaster() -> pid_t? {
        // No readable pid file: no master of an earlier run to adopt.
        guard let text = FileSystem.readIfPresent(configuration.pidPath),
            let pid = pid_t(text.filter { !$0.isWhitespace }), ProcessTable.isAlive(pid),
            ProcessTable.commandLine(of: pid)?.contains("nginx: master process") == true
        else { return nil }
        return pid
    }

    /// Per-backend metrics since the previous call (or since start), each `[backend weight, value]`:
    /// `rate` (requests answered/s), `response` (average upstream response time, ms; 0 without requests),
    /// `bytes` (bytes/s to and from clients) and `errors` (failed attempts: connect errors and timeouts,
    /// nginx's 502 and 504), and `active` (connections nginx's master and workers hold to the backend now,
    /// counted in the kernel's socket table; idle upstream `keepalive` connections count too). Backends
    /// with no traffic report zeros; a removed backend is reported while its last requests are still
    /// being logged.
    public func metrics() -> [String: [String: [Double]]] {
        let now = ContinuousClock.now
        let elapsed = max((now - lastMetricsAt) / .seconds(1), 0.001)
        lastMetricsAt = now
        let totals = accessLog.readTotals()
        // Connections nginx's processes hold to each backend now, from the kernel's socket table.
        let open = masterPID.map { SocketTable.establishedConnections(of: SocketTable.family(of: $0)) } ?? [:]
        var result: [String: [String: [Double]]] = [:]
        for address in Set(weights.keys).union(totals.keys) {
            let weight = weights[address] ?? 0
            let entry = totals[address] ?? .init()
            result[address] = [
                "rate": [weight, Double(entry.requests) / elapsed],
                "response": [weight, entry.timed > 0 ? entry.responseSeconds * 1000 / Double(entry.timed) : 0],
                "bytes": [weight, Double(entry.bytes) / elapsed],
                "errors": [weight, Double(entry.errors)],
                "active": [weight, Double(open[address] ?? 0)],
            ]
        }
        return result
    }

    /// Always empty: nginx holds no connection waiting for a backend.
    public func pending() -> [String: Int] { [:] }

    /// Always empty: to nginx each HTTP request stands alone (see the type's documentation).
    public func sessions() -> [String: String] { [:] }

    /// Always `false`: there are no sessions to cut.
    public func dropSession(_ client: String) -> Bool { false }

    /// Stops nginx: SIGQUIT lets workers finish their requests; after `quitTimeout` the master and its
    /// workers are killed. Returns once the master has exited.
    public func shutdown() async {
        await configurations.settle()
        guard let master else { return }
        self.master = nil
        applied = nil
        await program.stop(master, signal: SIGQUIT, timeout: quitTimeout)
    }

    /// nginx's `[emerg]`/`[alert]` lines (else its last lines), without the time stamps.
    static func problems(in output: String) -> String {
        let lines = output.split(separator: "\n")
        let serious = lines.filter { $0.contains("[emerg]") || $0.contains("[alert]") || $0.contains("[crit]") }
        let chosen = serious.isEmpty ? Array(lines.suffix(3)) : serious
        return chosen.map { line in
            guard let bracket = line.firstRange(of: "] ") else { return String(line) }
            // "2024/01/01 00:00:00 [emerg] 12#12: message" → "[emerg] message"
            let level = line[..<bracket.upperBound].split(separator: " ").last ?? ""
            var message = line[bracket.upperBound...]
            if let hash = message.firstRange(of: ": "), message[..<hash.lowerBound].contains("#") {
                message = message[hash.upperBound...]
            }
            return "\(level) \(message)"
        }.joined(separator: "; ")
    }
}
