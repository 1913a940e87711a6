import Logging
import ProcessSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The errors of a driver that runs a program of its own (nginx, haproxy), as the shared steps throw them.
protocol ProgramDriverError: Error {
    /// The program's check refused the configuration; `message` is what it said.
    static func rejected(message: String) -> Self
    /// The program could not be run, started or reloaded.
    static func failed(_ reason: String) -> Self
}

/// The steps nginx and haproxy share in running a master process of their own: checking a configuration
/// before it is put in place, starting the master, reloading it, and stopping it. What differs (the
/// command lines, how readiness and reloads show) comes in as arguments.
struct MasterProgram<Failure: ProgramDriverError>: Sendable {
    /// The program's name, for messages: `nginx`, `haproxy`.
    let name: String
    let logger: Logger
    /// The lines of the program's output worth reporting.
    let problems: @Sendable (String) -> String

    /// Has the program check a candidate configuration with `arguments` (output to `outputPath`).
    ///
    /// A status of -1 (unknown: another part of the program reaped the check) passes unless the output
    /// carries `alert`, the mark of the program's fatal messages.
    ///
    /// - Throws: `.rejected` with the program's problems when it refuses the configuration.
    func check(_ arguments: [String], outputPath: String, alert: String) async throws(Failure) {
        let check: (status: Int32, output: String)
        // Each check says what is wrong now: the output of earlier checks (appended to the same
        // file) would repeat every earlier alert in each report.
        unlink(outputPath)
        do {
            check = try await ChildProcess.run(
                arguments, outputPath: outputPath,
                environment: ChildProcess.Options.balancer(outputPath: outputPath).environment)
        } catch {
            throw .failed(error.description)
        }
        guard check.status == 0 || (check.status == -1 && !check.output.contains(alert)) else {
            let message = problems(check.output)
            logger.error("\(name) rejected the configuration", metadata: ["lb.error": "\(message)"])
            throw .rejected(message: message)
        }
    }

    /// Puts the checked `candidate` in place at `path`, then runs `activate` (start or reload); when that
    /// fails, `previous` is written back so that the file stays in step with what runs and a later start
    /// does not pick up what failed here.
    func install(
        _ candidate: String, at path: String, previous: String?,
        isolation: isolated (any Actor)? = #isolation,
        activate: () async throws(Failure) -> Void
    ) async throws(Failure) {
        guard rename(candidate, path) == 0 else {
            throw .failed("cannot put \(path) in place: \(String(cString: strerror(errno)))")
        }
        do {
            try await activate()
        } catch {
            if let previous {
                do {
                    try FileSystem.write(previous, to: path)
                } catch let restore {
                    logger.error("cannot put back the previous \(name) configuration: \(restore)")
                }
            }
            throw error
        }
    }

    /// A master left running by an earlier run of the manager, taken over rather than started twice.
    func adopt(_ pid: pid_t) -> MasterProcess {
        logger.info("adopting the \(name) master of an earlier run", metadata: ["lb.pid": "\(pid)"])
        return MasterProcess(pid: pid, child: nil)
    }

    /// Starts a master with `arguments` and waits up to 10 s until `isReady` says it serves; a master that
    /// does not is killed.
    ///
    /// - Parameters:
    ///   - outputPath: where the master's standard output and error go.
    ///   - awaited: what the master did not do in time, for the message ("start its workers").
    ///   - exitReason: why the master exited at start, read once it has.
    ///   - isReady: whether the started master serves; asked every 10 ms.
    func start(
        _ arguments: [String], outputPath: String, awaited: String,
        isolation: isolated (any Actor)? = #isolation,
        exitReason: () -> String,
        isReady: (ChildProcess) async -> Bool
    ) async throws(Failure) -> MasterProcess {
        let child: ChildProcess
        do {
            child = try ChildProcess(arguments, options: .balancer(outputPath: outputPath))
        } catch {
            throw .failed(error.description)
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if !child.isRunning { throw .failed("\(name) exited at start: \(exitReason())") }
            if await isReady(child) {
                logger.info("\(name) started", metadata: ["lb.pid": "\(child.pid)"])
                return MasterProcess(pid: child.pid, child: child)
            }
            await Pause.orUntilCancelled(.milliseconds(10))
        }
        await child.stop(signal: SIGKILL, timeout: .seconds(1))
        throw .failed("\(name) did not \(awaited) within 10 s")
    }

    /// Sends `signal` to `master` and waits up to 10 s until `isReloaded` says the new configuration
    /// serves (it throws when the program reports the reload failed).
    func reload(
        _ master: MasterProcess, signal: Int32,
        isolation: isolated (any Actor)? = #isolation,
        isReloaded: () async throws(Failure) -> Bool
    ) async throws(Failure) {
        kill(master.pid, signal)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await isReloaded() {
                logger.info("\(name) reloaded", metadata: ["lb.pid": "\(master.pid)"])
                return
            }
            if !master.isRunning { throw .failed("the \(name) master exited during a reload") }
            await Pause.orUntilCancelled(.milliseconds(5))
        }
        throw .failed("\(name) did not reload within 10 s")
    }

    /// Sends `signal` to `master` and waits up to `timeout` for it to exit; then kills it and its workers
    /// and waits up to 5 s more. Returns once the master has exited, or with a warning when it has not.
    ///
    /// The waits sleep between looks, so the caller must not be a cancelled task (where `Task.sleep`
    /// returns at once).
    func stop(_ master: MasterProcess, signal: Int32, timeout: Duration) async {
        kill(master.pid, signal)
        if await Self.waitForExit(master, timeout: timeout) {
            logger.info("\(name) stopped", metadata: ["lb.pid": "\(master.pid)"])
            return
        }
        logger.warning("\(name) did not stop in time; killing it", metadata: ["lb.pid": "\(master.pid)"])
        for worker in ProcessTable.children(of: master.pid) { kill(worker.pid, SIGKILL) }
        kill(master.pid, SIGKILL)
        if await Self.waitForExit(master, timeout: .seconds(5)) {
            logger.info("\(name) stopped", metadata: ["lb.pid": "\(master.pid)"])
        } else {
            logger.warning("\(name) still runs after SIGKILL", metadata: ["lb.pid": "\(master.pid)"])
        }
    }

    /// Whether `master` exits within `timeout`.
    private static func waitForExit(_ master: MasterProcess, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while master.isRunning {
            guard ContinuousClock.now < deadline else { return false }
            await Pause.ignoringCancellation(.milliseconds(10))
        }
        return true
    }
}

/// A program's running master: our child, or one adopted from an earlier run (then only its pid is known).
struct MasterProcess: Sendable {
    var pid: pid_t
    var child: ChildProcess?
    var isRunning: Bool { child?.isRunning ?? ProcessTable.isAlive(pid) }
}

/// A driver that runs its program's master (nginx, haproxy): how a new configuration is put in place.
protocol MasterDriver: Actor {
    associatedtype Failure: ProgramDriverError
    var program: MasterProgram<Failure> { get }
    /// The running master, if any.
    var master: MasterProcess? { get set }
    /// A master recorded by an earlier run of the manager that still runs.
    func adoptableMaster() -> pid_t?
    /// Called once a master is adopted, to start metrics afresh.
    func masterAdopted() async
    /// Has the running master load the configuration in place.
    func reload(_ master: MasterProcess) async throws(Failure)
    /// Starts a master on the configuration at `path`.
    func start(_ executable: String, configuration path: String) async throws(Failure)
}

extension MasterDriver {
    /// Puts `text` in place at `path`: written next to it as a candidate (creating `directory`),
    /// checked by the program (`checkArguments(candidate)`, output to `checkOutput`; refused when it
    /// fails or prints `alert`), installed, and served: the running master reloads; without one, a
    /// master left by an earlier run is adopted and reloads; otherwise one starts. When serving
    /// fails, `previous` is written back.
    func put(
        _ text: String, at path: String, previous: String?, creating directory: String, executable: String,
        checkArguments: (String) -> [String], checkOutput: String, alert: String
    ) async throws(Failure) {
        let candidate = path + ".candidate"
        do {
            try FileSystem.makeOwnedDirectory(directory, mode: 0o755)
            try FileSystem.write(text, to: candidate)
        } catch {
            throw .failed(error.description)
        }
        try await program.check(checkArguments(candidate), outputPath: checkOutput, alert: alert)
        try await program.install(candidate, at: path, previous: previous) { () async throws(Failure) in
            if master?.isRunning != true, let adopted = adoptableMaster() {
                master = program.adopt(adopted)
                await masterAdopted()
            }
            if let master, master.isRunning {
                try await reload(master)
            } else {
                try await start(executable, configuration: path)
            }
        }
    }
}

extension BalancedService {
    /// The weight of every backend address the services list (the largest when several list it),
    /// as the drivers report it with their metrics; backends of weight 0 take no traffic.
    static func backendWeights(_ services: [BalancedService]) -> [String: Double] {
        var weights: [String: Double] = [:]
        for service in services {
            for backend in service.backends {
                weights[backend.address] = max(weights[backend.address] ?? 0, backend.weight)
            }
        }
        return weights
    }
}

extension ChildProcess.Options {
    /// How a balancer's program (nginx, haproxy, dnsmasq, their checks) is started: in a process group
    /// of its own (a Ctrl-C meant for the manager's terminal does not reach it; it is stopped through
    /// the driver's shutdown, or adopted by the next run when the manager dies), with `PATH` and the
    /// locale of the manager's environment and nothing else of it (no keys, no ZooKeeper credentials).
    static func balancer(outputPath: String, truncating: Bool = false) -> Self {
        var environment = ["PATH": ProcessInfoEnvironment.value("PATH") ?? "/usr/local/bin:/usr/bin:/bin"]
        for name in ["LANG", "LC_ALL", "TZ"] {
            if let value = ProcessInfoEnvironment.value(name) { environment[name] = value }
        }
        return Self(
            environment: .exactly(environment), outputPath: outputPath, truncating: truncating, outputMode: 0o600,
            grouping: .newProcessGroup)
    }
}

/// One variable of this process's environment.
enum ProcessInfoEnvironment {
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
