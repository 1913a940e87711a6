import Logging
import ProcessSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `dnsmasq` load balancer: DNS round robin. Serves `dns://name` services through a dnsmasq of its own,
/// started from a working directory, answering for every service's name with one address record per live
/// backend.
///
/// ```swift
/// let balancer = DNSMasqBalancer(directory: stateDirectory + "/dnsmasq", port: 53)
/// try await balancer.configure([
///     BalancedService(url: "dns://web.example", backends: [Backend(ip: "10.0.0.5", port: 8000),
///                                                          Backend(ip: "10.0.0.6", port: 8000)],
///                     settings: ["ttl": "1"]),      // the [loadbalancer:dnsmasq] section
/// ])
/// // dig @127.0.0.1 web.example → 10.0.0.5, 10.0.0.6
/// await balancer.shutdown()
/// ```
///
/// Every `configure` writes the hosts file (see ``DNSMasqHostsFile``) through a temporary file and a rename
/// and sends dnsmasq SIGHUP, on which it re-reads the file; `configure` returns once dnsmasq has logged the
/// re-read. The first `configure` with a service starts dnsmasq. dnsmasq answers only from that file (no
/// upstream servers, no `/etc/hosts`): a name it does not serve gets NXDOMAIN.
///
/// DNS has no weights: every live backend appears once and weight-0 backends are left out. Its TTL is
/// global to a dnsmasq, so the smallest `ttl` of the services is used, and a change of it restarts dnsmasq.
///
/// DNS sees no traffic (clients connect straight to the instances), so ``metrics()`` is empty; it holds no
/// connection, so ``pending()`` is empty; and it has no sessions to list or cut.
public actor DNSMasqBalancer: LoadBalancerDriver {
    private let directory: String
    private let listen: String
    private let port: Int
    private let executable: String?
    private let stopTimeout: Duration
    private let logger: Logger
    private var child: ChildProcess?
    /// The TTL the running dnsmasq was started with.
    private var runningTTL: Int?
    /// The hosts file the running dnsmasq has read.
    private var applied: String?
    private var configurations = ConfigurationChain()

    /// - Parameters:
    ///   - directory: the working directory (created 0755 if missing): `hosts`, `dnsmasq.pid`, `dnsmasq.log`,
    ///     `dnsmasq.out`. Each balancer needs its own.
    ///   - listen: the address dnsmasq answers on; default `127.0.0.1`.
    ///   - port: the UDP and TCP port dnsmasq answers on; default 53 (needs root or CAP_NET_BIND_SERVICE).
    ///   - executable: the dnsmasq binary; default `dnsmasq` found on PATH or in /usr/sbin.
    ///   - stopTimeout: how long ``shutdown()`` waits after SIGTERM before killing dnsmasq; default 5 s.
    ///   - logger: diagnostics; default label `reactor.lb.dnsmasq`.
    public init(
        directory: String,
        listen: String = "127.0.0.1",
        port: Int = 53,
        executable: String? = nil,
        stopTimeout: Duration = .seconds(5),
        logger: Logger = Logger(label: "reactor.lb.dnsmasq")
    ) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.listen = listen
        self.port = port
        self.executable = executable ?? FileSystem.findExecutable("dnsmasq")
        self.stopTimeout = stopTimeout
        self.logger = logger
    }

    /// Whether dnsmasq is installed here (on PATH or in /usr/sbin): a manager advertises the driver only then.
    public static func isInstalled() -> Bool {
        FileSystem.findExecutable("dnsmasq") != nil
    }

    /// dnsmasq's pid while it runs.
    public var processID: Int32? {
        child.flatMap { $0.isRunning ? $0.pid : nil }
    }

    private var hostsPath: String { directory + "/hosts" }
    private var pidPath: String { directory + "/dnsmasq.pid" }
    private var logPath: String { directory + "/dnsmasq.log" }
    private var outputPath: String { directory + "/dnsmasq.out" }

    public func configure(_ services: [BalancedService]) async throws {
        // Starting and reloading suspend the actor; chaining keeps two calls from interleaving.
        try await configurations.append { try await self.apply(services) }.value
    }

    private func apply(_ services: [BalancedService]) async throws(DNSMasqBalancerError) {
        guard let executable else { throw .notInstalled }
        var ttl: Int?
        for service in services {
            let settings = try DNSMasqSettings(section: service.settings)
            ttl = min(ttl ?? settings.ttl, settings.ttl)
        }
        let text = try DNSMasqHostsFile.render(services)
        let running = child?.isRunning == true
        if !running && services.isEmpty { return }
        if running && text == applied && (ttl == nil || ttl == runningTTL) { return }
        do {
            try FileSystem.makeOwnedDirectory(directory, mode: 0o755)
            try FileSystem.write(text, to: hostsPath)
        } catch {
            throw .failed(error.description)
        }
        if let child, running, ttl == nil || ttl == runningTTL {
            try await reload(child)
        } else {
            if let child, running {
                logger.info("restarting dnsmasq for a new ttl", metadata: ["lb.ttl": "\(ttl ?? 1)"])
                await stop(child)
            }
            try await start(executable, ttl: ttl ?? DNSMasqSettings().ttl)
        }
        applied = text
    }

    private func start(_ executable: String, ttl: Int) async throws(DNSMasqBalancerError) {
        await stopLeftover()
        var arguments = [
            executable,
            "--keep-in-foreground",
            "--conf-file=/dev/null",
            "--no-resolv",
            "--no-hosts",
            "--local=/#/",  // every other name is NXDOMAIN rather than REFUSED: there is nowhere to forward it
            "--listen-address=\(listen)",
            "--port=\(port)",
            "--bind-interfaces",
            "--addn-hosts=\(hostsPath)",
            "--local-ttl=\(ttl)",
            "--pid-file=\(pidPath)",
            "--log-facility=\(logPath)",
        ]
        // dnsmasq started as root switches to `nobody`, who may not read a private working directory.
        if geteuid() == 0 { arguments.append("--user=root") }
        let child: ChildProcess
        do {
            child = try ChildProcess(arguments, options: .balancer(outputPath: outputPath, truncating: true))
        } catch {
            throw .failed(error.description)
        }
        // Ready once it has written its pid file (after binding) and handles SIGHUP: a SIGHUP before that
        // would kill it.
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if !child.isRunning {
                let output = FileSystem.textForMessage(outputPath)
                let log = FileSystem.textForMessage(logPath)
                throw .failed("dnsmasq exited at start: \(Self.lastLines(of: output + log))")
            }
            // Not written yet while dnsmasq starts.
            let recorded = FileSystem.readIfPresent(pidPath).flatMap { pid_t($0.filter { !$0.isWhitespace }) }
            if recorded == child.pid && Self.handlesHangup(child.pid) {
                self.child = child
                runningTTL = ttl
                logger.info("dnsmasq started", metadata: ["lb.pid": "\(child.pid)", "lb.port": "\(port)"])
                return
            }
            await Pause.ignoringCancellation(.milliseconds(5))
        }
        await child.stop(signal: SIGKILL, timeout: .seconds(1))
        throw .failed("dnsmasq did not start within 10 s")
    }

    /// SIGHUP, then waits until dnsmasq logs that it has read the hosts file again.
    private func reload(_ child: ChildProcess) async throws(DNSMasqBalancerError) {
        let logStart = Self.size(of: logPath)
        child.signal(SIGHUP)
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if Self.read(logPath, from: logStart).contains("read \(hostsPath) - ") { return }
            if !child.isRunning {
                self.child = nil
                throw .failed(
                    "dnsmasq exited during a reload: \(Self.lastLines(of: Self.read(logPath, from: logStart)))")
            }
            await Pause.ignoringCancellation(.milliseconds(5))
        }
        logger.warning(
            "dnsmasq did not confirm re-reading its hosts file within 5 s", metadata: ["lb.pid": "\(child.pid)"])
    }

    private func stop(_ child: ChildProcess) async {
        await child.stop(signal: SIGTERM, timeout: stopTimeout)
        self.child = nil
        runningTTL = nil
        applied = nil
        logger.info("dnsmasq stopped", metadata: ["lb.pid": "\(child.pid)"])
    }

    /// Stops a dnsmasq recorded in this directory's pid file by an earlier run (the manager died): it holds
    /// the port, and it runs with options this run may not share.
    private func stopLeftover() async {
        // No readable pid file: no dnsmasq of an earlier run to stop.
        guard let text = FileSystem.readIfPresent(pidPath), let pid = pid_t(text.filter { !$0.isWhitespace }),
            pid != child?.pid, Self.isRunning(pid),
            let commandLine = ProcessTable.commandLine(of: pid),
            commandLine.contains("dnsmasq"), commandLine.contains("--pid-file=\(pidPath)")
        else { return }
        logger.info("stopping the dnsmasq of an earlier run", metadata: ["lb.pid": "\(pid)"])
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + stopTimeout
        while Self.isRunning(pid) && ContinuousClock.now < deadline {
            await Pause.ignoringCancellation(.milliseconds(10))
        }
        guard Self.isRunning(pid) else { return }
        kill(pid, SIGKILL)
        // Gone only once the kernel has closed its sockets: until then it holds the port the new one binds.
        let killed = ContinuousClock.now + .seconds(2)
        while Self.isRunning(pid) && ContinuousClock.now < killed {
            await Pause.ignoringCancellation(.milliseconds(10))
        }
    }

    /// Whether `pid` exists and has not exited (a zombie has, and no longer holds the port).
    static func isRunning(_ pid: pid_t) -> Bool {
        // No /proc entry to read: the process is gone.
        guard ProcessTable.isAlive(pid), let stat = FileSystem.readIfPresent("/proc/\(pid)/stat"),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }

    /// Always empty: clients resolve the name and then connect straight to an instance, so DNS sees none
    /// of the traffic.
    public func metrics() -> [String: [String: [Double]]] { [:] }

    /// Always empty: DNS holds no connection waiting for a backend (a name without one is NXDOMAIN).
    public func pending() -> [String: Int] { [:] }

    /// Always empty: DNS has no sessions.
    public func sessions() -> [String: String] { [:] }

    /// Always `false`: there are no sessions to cut.
    public func dropSession(_ client: String) -> Bool { false }

    /// Stops dnsmasq: SIGTERM, and SIGKILL after `stopTimeout`. Returns once it has exited.
    public func shutdown() async {
        await configurations.settle()
        guard let child else { return }
        await stop(child)
    }

    /// Whether `pid` has a SIGHUP handler installed (`SigCgt` in /proc/<pid>/status).
    static func handlesHangup(_ pid: pid_t) -> Bool {
        // No /proc entry to read: the process is gone, and handles nothing.
        guard let status = FileSystem.readIfPresent("/proc/\(pid)/status"),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
            let mask = UInt64(line.dropFirst("SigCgt:".count).filter { !$0.isWhitespace }, radix: 16)
        else { return false }
        return mask & (1 << (UInt64(SIGHUP) - 1)) != 0
    }

    private static func lastLines(of text: String) -> String {
        text.split(separator: "\n").suffix(3).joined(separator: "; ")
    }

    private static func size(of path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// What `path` holds from byte `offset` on (all of it when it has since been truncated).
    private static func read(_ path: String, from offset: Int) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var start = offset
        var info = stat()
        if fstat(fd, &info) == 0 && Int(info.st_size) < offset { start = 0 }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start + bytes.count)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
