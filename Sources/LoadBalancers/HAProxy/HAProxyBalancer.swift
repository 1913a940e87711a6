import Logging
import ProcessSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `haproxy` load balancer: serves `tcp://[host:]port` (TCP mode) and `http://host[:port]` (HTTP mode)
/// services through an haproxy of its own, started from a working directory.
///
/// ```swift
/// let balancer = HAProxyBalancer(directory: stateDirectory + "/haproxy")
/// try await balancer.configure([
///     BalancedService(url: "tcp://127.0.0.1:5432", backends: [Backend(ip: "127.0.1.1", port: 5432, weight: 2)],
///                     settings: ["sticky_sessions": "true"]),     // the [loadbalancer:haproxy] section
/// ])
/// let sessions = await balancer.sessions()   // ["127.0.0.1:40112": "127.0.1.1:5432"]
/// await balancer.shutdown()
/// ```
///
/// haproxy runs in master-worker mode (`-W -S <dir>/master.sock`). A reload (SIGUSR2 to the master) makes
/// the master re-execute itself on the new configuration and start a new worker that takes over the
/// listening sockets the master holds, while the old worker stops accepting and keeps serving the
/// connections it has until they close: no connection is refused or cut by a reload. This is the reload
/// haproxy 2.6 (Debian 12) documents for its master-worker mode; unlike `-sf` with `-x`, old workers stay
/// reachable through the master (`@!<pid>`), so their sessions can still be listed and cut. Every
/// configuration is first checked with `haproxy -c`; one it rejects is not applied and `configure` throws
/// haproxy's message.
///
/// Metrics, sessions and queues come from the workers' stats (`show stat`, `show sess`) through the master
/// socket. The worker's own `stats socket <dir>/haproxy.sock` (admin level) is there for operators.
public actor HAProxyBalancer: LoadBalancerDriver, MasterDriver {
    private let directory: String
    private let executable: String?
    let program: MasterProgram<HAProxyBalancerError>
    private let configuration: HAProxyConfiguration
    var master: MasterProcess?
    private var applied: String?
    private var proxies: [String: String] = [:]
    private var weights: [String: Double] = [:]
    private var lastCounters: [pid_t: [String: Counters]] = [:]
    private var lastMetricsAt = ContinuousClock.now
    private var configurations = ConfigurationChain()

    private struct Counters {
        var sessions = 0
        var bytes = 0
        var errors = 0
    }

    private var masterSocketPath: String { directory + "/master.sock" }
    private var pidPath: String { directory + "/haproxy.pid" }

    /// - Parameters:
    ///   - directory: the working directory (created if missing): `haproxy.cfg`, `haproxy.pid`, the master
    ///     and stats sockets, `haproxy.out`. Each balancer needs its own.
    ///   - executable: the haproxy binary; default `haproxy` found on PATH or in /usr/sbin.
    ///   - logger: diagnostics; default label `reactor.lb.haproxy`.
    public init(directory: String, executable: String? = nil, logger: Logger = Logger(label: "reactor.lb.haproxy")) {
        let directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.directory = directory
        self.executable = executable ?? FileSystem.findExecutable("haproxy")
        self.program = MasterProgram(name: "haproxy", logger: logger, problems: Self.problems(in:))
        self.configuration = HAProxyConfiguration(directory: directory)
    }

    /// Whether haproxy is installed here (on PATH or in /usr/sbin): a manager advertises the driver only then.
    public static func isInstalled() -> Bool {
        FileSystem.findExecutable("haproxy") != nil
    }

    /// The master's pid while it runs.
    public var masterPID: Int32? {
        master.flatMap { $0.isRunning ? $0.pid : nil }
    }

    public func configure(_ services: [BalancedService]) async throws {
        // Checking and reloading suspend the actor; chaining keeps two calls from interleaving.
        try await configurations.append { try await self.apply(services) }.value
    }

    private func apply(_ services: [BalancedService]) async throws(HAProxyBalancerError) {
        guard let executable else { throw .notInstalled }
        let (text, proxies) = try configuration.render(services)
        let weights = BalancedService.backendWeights(services)
        if text == applied, master?.isRunning == true {
            self.weights = weights
            return
        }
        let path = directory + "/haproxy.cfg"
        try await put(
            // No readable earlier file: nothing to put back should the new one be refused.
            text, at: path, previous: applied ?? FileSystem.readIfPresent(path), creating: directory,
            executable: executable, checkArguments: { [executable, "-c", "-f", $0] },
            checkOutput: directory + "/check.out", alert: "[ALERT]")
        applied = text
        self.proxies = proxies
        self.weights = weights
    }

    /// As start() does: one read, discarded, sets the counters the first metrics() is measured from,
    /// which would otherwise be every session since the adopted worker started.
    func masterAdopted() async {
        _ = await metrics()
    }

    func start(_ executable: String, configuration path: String) async throws(HAProxyBalancerError) {
        let output = directory + "/haproxy.out"
        master = try await program.start(
            [executable, "-W", "-S", masterSocketPath + ",mode,600", "-f", path, "-p", pidPath], outputPath: output,
            awaited: "start a worker",
            exitReason: { Self.problems(in: FileSystem.textForMessage(output)) },
            isReady: { _ in
                // Not reachable yet: the master is still starting (the wait has its own deadline).
                guard let processes = try? await processes() else { return false }
                return !processes.current.isEmpty
            })
        lastMetricsAt = .now
        lastCounters = [:]
    }

    /// SIGUSR2, then waits until the master counts the reload and a new worker runs.
    func reload(_ master: MasterProcess) async throws(HAProxyBalancerError) {
        let before = try await processes()
        try await program.reload(master, signal: SIGUSR2) { () async throws(HAProxyBalancerError) in
            // The master is unreachable for a moment while it re-executes itself.
            guard let now = try? await processes() else { return false }
            if now.failedReloads > before.failedReloads {
                let output = FileSystem.textForMessage(directory + "/haproxy.out")
                throw .failed(
                    "haproxy could not reload (the previous worker keeps serving): \(Self.problems(in: output))")
            }
            return now.reloads > before.reloads && !now.current.isEmpty
                && Set(now.current).isDisjoint(with: before.current)
        }
    }

    private func processes() async throws(HAProxyBalancerError) -> HAProxyCLI.Processes {
        HAProxyCLI.Processes(try await HAProxyCLI.send("show proc; quit", to: masterSocketPath))
    }

    /// Sends `command` to the worker `pid` through the master.
    private func worker(_ pid: pid_t, _ command: String) async throws(HAProxyBalancerError) -> String {
        try await HAProxyCLI.send("@!\(pid) \(command); quit", to: masterSocketPath)
    }

    private func workers() async -> (current: [pid_t], all: [pid_t]) {
        // A master that does not answer (reloading, or gone) has no workers to ask this time.
        guard master?.isRunning == true, let processes = try? await processes() else { return ([], []) }
        return (processes.current, processes.current + processes.old)
    }

    func adoptableMaster() -> pid_t? {
        // No readable pid file: no master of an earlier run to adopt.
        guard let text = FileSystem.readIfPresent(pidPath),
            let pid = pid_t(text.split(separator: "\n").first?.filter { !$0.isWhitespace } ?? ""),
            ProcessTable.isAlive(pid),
            let commandLine = ProcessTable.commandLine(of: pid), commandLine.contains("haproxy"),
            commandLine.contains(masterSocketPath)
        else { return nil }
        return pid
    }

    /// Per-backend metrics since the previous call (or since start), each `[backend weight, value]`:
    /// `active` (open connections now, in every worker), `rate` (new connections/s), `bytes` (bytes/s, both
    /// directions; haproxy adds a TCP connection's bytes when it ends), `errors` (failed connections and
    /// responses) and, in HTTP mode, `response` (haproxy's average response time, ms). `rate` is counted from the session totals between two calls rather than
    /// haproxy's own `rate`, which covers only the last second.
    public func metrics() async -> [String: [String: [Double]]] {
        let now = ContinuousClock.now
        let elapsed = max((now - lastMetricsAt) / .seconds(1), 0.001)
        lastMetricsAt = now
        var active: [String: Int] = [:]
        var deltas: [String: Counters] = [:]
        var response: [String: Double] = [:]
        var counters: [pid_t: [String: Counters]] = [:]
        let (current, all) = await workers()
        for pid in all {
            // A worker that exited since it was listed has no stats; the others still count.
            guard let csv = try? await worker(pid, "show stat") else { continue }
            for row in HAProxyCLI.statRows(csv) {
                guard let server = row["svname"], server != "FRONTEND", server != "BACKEND",
                    let address = HAProxyConfiguration.address(ofServer: server)
                else { continue }
                let value = { (name: String) in Int(row[name] ?? "") ?? 0 }
                active[address, default: 0] += value("scur")
                let total = Counters(
                    sessions: value("stot"), bytes: value("bin") + value("bout"), errors: value("econ") + value("eresp")
                )
                counters[pid, default: [:]][address] = total
                let last = lastCounters[pid]?[address] ?? Counters()
                var delta = deltas[address, default: Counters()]
                delta.sessions += max(0, total.sessions - last.sessions)
                delta.bytes += max(0, total.bytes - last.bytes)
                delta.errors += max(0, total.errors - last.errors)
                deltas[address] = delta
                if current.contains(pid), row["mode"] == "http" { response[address] = Double(value("rtime")) }
            }
        }
        lastCounters = counters
        var result: [String: [String: [Double]]] = [:]
        for address in Set(weights.keys).union(active.keys) {
            let weight = weights[address] ?? 0
            let delta = deltas[address] ?? Counters()
            var values: [String: [Double]] = [
                "active": [weight, Double(active[address] ?? 0)],
                "rate": [weight, Double(delta.sessions) / elapsed],
                "bytes": [weight, Double(delta.bytes) / elapsed],
                "errors": [weight, Double(delta.errors)],
            ]
            if let time = response[address] { values["response"] = [weight, time] }
            result[address] = values
        }
        return result
    }

    /// Connections waiting in a service's queue (`qcur`), by service URL; services with none are left out.
    /// haproxy queues when every instance is at its connection limit; with no instance at all it refuses.
    public func pending() async -> [String: Int] {
        let (current, _) = await workers()
        var byProxy: [String: Int] = [:]
        for pid in current {
            // A worker that exited since it was listed holds no queue.
            guard let csv = try? await worker(pid, "show stat") else { continue }
            for row in HAProxyCLI.statRows(csv) where row["svname"] == "BACKEND" {
                if let name = row["pxname"], let queued = Int(row["qcur"] ?? ""), queued > 0 {
                    byProxy[String(name), default: 0] += queued
                }
            }
        }
        var result: [String: Int] = [:]
        for (url, name) in proxies {
            if let queued = byProxy[name] { result[url] = queued }
        }
        return result
    }

    /// Open sessions in every worker, `client ip:port` → `backend ip:port` (sessions still connecting to
    /// a backend are left out).
    public func sessions() async -> [String: String] {
        var result: [String: String] = [:]
        for pid in await workers().all {
            // A worker that exited since it was listed has no sessions left.
            guard let text = try? await worker(pid, "show sess") else { continue }
            for session in HAProxyCLI.sessions(text) {
                if let address = HAProxyConfiguration.address(ofServer: Substring(session.server)) {
                    result[session.client] = address
                }
            }
        }
        return result
    }

    /// Cuts the session of `client` (`ip:port`) with `shutdown session`, in whichever worker holds it.
    public func dropSession(_ client: String) async -> Bool {
        var dropped = false
        for pid in await workers().all {
            // As in sessions(): a worker gone since it was listed holds none; a failed shutdown is
            // answered as "not dropped".
            guard let text = try? await worker(pid, "show sess") else { continue }
            for session in HAProxyCLI.sessions(text) where session.client == client {
                if (try? await worker(pid, "shutdown session \(session.id)")) != nil { dropped = true }
            }
        }
        return dropped
    }

    /// Stops haproxy at once (SIGTERM to the master, which stops its workers and closes every connection);
    /// after 5 s the whole process group is killed. Returns once the master has exited.
    public func shutdown() async {
        await configurations.settle()
        guard let master else { return }
        self.master = nil
        applied = nil
        await program.stop(master, signal: SIGTERM, timeout: .seconds(5))
    }

    /// haproxy's `[ALERT]` lines (else its last lines).
    package static func problems(in output: String) -> String {
        let lines = output.split(separator: "\n").map { $0.trimmingPrefix(while: { $0 == " " }) }
        var seen = Set<Substring>()
        // Each alert once, in the order haproxy gave them.
        let alerts = lines.filter { $0.contains("[ALERT]") && seen.insert($0).inserted }
        return (alerts.isEmpty ? Array(lines.suffix(3)) : alerts).joined(separator: "; ")
    }
}

extension Substring {
    fileprivate func trimmingPrefix(while predicate: (Character) -> Bool) -> Substring {
        drop(while: predicate)
    }
}
