import ProcessSupport
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A process a balancer driver started (nginx, haproxy, or one of their `-t`/`-c` checks).
///
/// Started with `posix_spawn` in a process group of its own, with a clean signal mask and default signal
/// handlers (the caller's threads block signals, and a child would inherit that), standard input from
/// `/dev/null`, standard output and error appended to `outputPath`, and no other descriptor of ours. Its
/// exit is learnt by polling `waitpid(WNOHANG)` between short `Task.sleep`s, so waiting never blocks a
/// cooperative thread.
final class ChildProcess: Sendable {
    /// The process's pid.
    let pid: pid_t
    /// `argv[0]`, for messages.
    let name: String
    private let exit: ExitStatus

    /// Starts `arguments[0]` (an absolute path) with the rest as arguments, in this process's environment.
    ///
    /// - Parameters:
    ///   - outputPath: where standard output and error go, appended to (or replacing what was there
    ///     when `truncating`; default `false`).
    /// - Throws: ``ChildProcessError`` when `posix_spawn` fails.
    init(_ arguments: [String], outputPath: String, truncating: Bool = false) throws(ChildProcessError) {
        precondition(!arguments.isEmpty, "a command is needed")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(
            &actions, 1, outputPath, O_WRONLY | O_CREAT | (truncating ? O_TRUNC : O_APPEND), 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the manager (ZooKeeper and client sockets, other children's files) reaches the
        // program: an inherited socket would outlive its connection in a long-lived nginx or haproxy.
        SpawnActions.closeInherited(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A group of its own: a Ctrl-C meant for the manager's terminal does not reach the balancer, which
        // is stopped through shutdown() (or adopted by the next run when the manager dies).
        SpawnActions.cleanSignals(&attributes, grouping: .newProcessGroup)

        do {
            pid = try ProcessLaunch.spawn(
                arguments[0], arguments: arguments, actions: &actions, attributes: &attributes)
        } catch {
            throw ChildProcessError(description: error.description)
        }
        exit = ExitStatus(pid: pid)
        self.name = arguments[0]
    }

    /// The exit status once the process has exited (the exit code, or 128 + the signal number), else `nil`.
    ///
    /// When the status cannot be known (another part of the program reaps children) an exited process
    /// reports -1.
    var terminationStatus: Int32? { exit.value }

    var isRunning: Bool { terminationStatus == nil }

    /// Sends `signal` unless the process has exited.
    func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits up to `timeout` for the process to exit, sleeping between looks (also in a cancelled
    /// task, see ``Pause``).
    ///
    /// - Returns: the exit status, or `nil` when it is still running.
    @discardableResult
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(2)
        while true {
            if let status = terminationStatus { return status }
            if ContinuousClock.now >= deadline { return nil }
            await Pause.ignoringCancellation(pause)
            pause = min(pause * 2, .milliseconds(50))
        }
    }

    /// Sends `signal`, waits up to `timeout`, then kills the process (SIGKILL) and waits for it.
    func stop(signal: Int32, timeout: Duration) async {
        self.signal(signal)
        if await waitForExit(timeout: timeout) != nil { return }
        self.signal(SIGKILL)
        await waitForExit(timeout: .seconds(5))
    }

    /// Runs a short command to its end and returns its status and output (standard output and error).
    ///
    /// - Parameters:
    ///   - outputPath: a scratch file for the output; what it held is replaced.
    ///   - timeout: the command is killed after this long; default 10 s.
    /// - Throws: ``ChildProcessError`` when the command cannot be started or does not finish in time.
    static func run(
        _ arguments: [String], outputPath: String, timeout: Duration = .seconds(10)
    ) async throws(ChildProcessError) -> (status: Int32, output: String) {
        let process = try ChildProcess(arguments, outputPath: outputPath, truncating: true)
        guard let status = await process.waitForExit(timeout: timeout) else {
            // Killed, it would exit 137: a status that says nothing about the command's answer.
            process.signal(SIGKILL)
            await process.waitForExit(timeout: .seconds(5))
            throw ChildProcessError(description: "\(arguments[0]) did not finish within \(timeout)")
        }
        return (status, (try? FileSystem.read(outputPath)) ?? "")
    }
}

/// A balancer's process could not be started or run.
struct ChildProcessError: Error, CustomStringConvertible {
    var description: String
}
