#if canImport(Glibc)
import Glibc
#endif

/// A process Reactor started: an instance of the process cloud, nginx, haproxy, dnsmasq, one of
/// their `-t`/`-c` checks, a private ZooKeeper server, a command under test. The one way Reactor
/// starts programs.
///
/// Started with `posix_spawn` with a clean signal mask and default signal handlers (the caller's
/// threads block signals, and a child would inherit that), the standard input and output that
/// ``Options`` name, and no other descriptor of the parent: an inherited socket would outlive its
/// connection, an inherited pipe end would hide an EOF. Its exit is learnt by polling
/// `waitpid(WNOHANG)` between short pauses, so waiting never blocks a cooperative thread.
public final class ChildProcess: Sendable {
    /// How a child is started.
    public struct Options: Sendable {
        /// What the child's environment is.
        public enum Environment: Sendable {
            /// This process's environment, with these variables added or replaced.
            case inherited(adding: [String: String])
            /// Exactly these variables: nothing of this process's environment reaches the child.
            case exactly([String: String])
        }

        public var environment: Environment
        /// A descriptor of this process that becomes the child's standard input; `nil` is `/dev/null`.
        public var standardInput: Int32?
        /// Where standard output goes (and standard error, unless ``errorPath`` is set).
        public var outputPath: String
        /// Where standard error goes when it is kept apart from the output.
        public var errorPath: String?
        /// Whether what the output files held is replaced (else the output is appended).
        public var truncating: Bool
        /// The mode of output files the start creates.
        public var outputMode: mode_t
        public var grouping: SpawnActions.Grouping

        /// - Parameters:
        ///   - outputPath: opened with `O_NOFOLLOW`: a symbolic link planted there is refused, not
        ///     followed.
        public init(
            environment: Environment = .inherited(adding: [:]), standardInput: Int32? = nil, outputPath: String,
            errorPath: String? = nil, truncating: Bool = false, outputMode: mode_t = 0o600,
            grouping: SpawnActions.Grouping = .newProcessGroup
        ) {
            self.environment = environment
            self.standardInput = standardInput
            self.outputPath = outputPath
            self.errorPath = errorPath
            self.truncating = truncating
            self.outputMode = outputMode
            self.grouping = grouping
        }
    }

    /// The process's pid.
    public let pid: pid_t
    /// `argv[0]`, for messages.
    public let name: String
    private let exit: ExitStatus

    /// Starts `arguments[0]` (an absolute path) with the rest as arguments.
    ///
    /// - Throws: ``ChildProcessError`` when `posix_spawn` fails.
    public init(_ arguments: [String], options: Options) throws(ChildProcessError) {
        precondition(!arguments.isEmpty, "a command is needed")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input = options.standardInput {
            posix_spawn_file_actions_adddup2(&actions, input, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        let flags = O_WRONLY | O_CREAT | O_NOFOLLOW | (options.truncating ? O_TRUNC : O_APPEND)
        posix_spawn_file_actions_addopen(&actions, 1, options.outputPath, flags, options.outputMode)
        if let errorPath = options.errorPath {
            posix_spawn_file_actions_addopen(&actions, 2, errorPath, flags, options.outputMode)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        SpawnActions.closeInherited(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        SpawnActions.cleanSignals(&attributes, grouping: options.grouping)

        do {
            switch options.environment {
            case .inherited(let adding):
                pid = try ProcessLaunch.spawn(
                    arguments[0], arguments: arguments, adding: adding, actions: &actions, attributes: &attributes)
            case .exactly(let environment):
                pid = try ProcessLaunch.spawn(
                    arguments[0], arguments: arguments, environment: environment, actions: &actions,
                    attributes: &attributes)
            }
        } catch {
            throw ChildProcessError(description: error.description)
        }
        exit = ExitStatus(pid: pid)
        name = arguments[0]
    }

    /// The exit status once the process has exited (the exit code, or 128 + the signal number), else `nil`.
    ///
    /// When the status cannot be known (another part of the program reaps children) an exited process
    /// reports -1.
    public var terminationStatus: Int32? { exit.value }

    public var isRunning: Bool { terminationStatus == nil }

    /// Sends `signal` unless the process has exited.
    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits up to `timeout` for the process to exit, sleeping between looks (also in a cancelled
    /// task, see ``Pause``).
    ///
    /// - Returns: the exit status, or `nil` when it is still running.
    @discardableResult
    public func waitForExit(timeout: Duration) async -> Int32? {
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
    public func stop(signal: Int32, timeout: Duration) async {
        self.signal(signal)
        if await waitForExit(timeout: timeout) != nil { return }
        self.signal(SIGKILL)
        await waitForExit(timeout: .seconds(5))
    }

    /// Runs a short command to its end and returns its status and output (standard output and error).
    ///
    /// - Parameters:
    ///   - outputPath: a scratch file for the output; what it held is replaced.
    ///   - environment: the command's environment; default this process's.
    ///   - timeout: the command is killed after this long; default 10 s.
    /// - Throws: ``ChildProcessError`` when the command cannot be started or does not finish in time.
    public static func run(
        _ arguments: [String], outputPath: String, environment: Options.Environment = .inherited(adding: [:]),
        timeout: Duration = .seconds(10)
    ) async throws(ChildProcessError) -> (status: Int32, output: String) {
        let process = try ChildProcess(
            arguments, options: Options(environment: environment, outputPath: outputPath, truncating: true))
        guard let status = await process.waitForExit(timeout: timeout) else {
            // Killed, it would exit 137: a status that says nothing about the command's answer.
            process.signal(SIGKILL)
            await process.waitForExit(timeout: .seconds(5))
            throw ChildProcessError(description: "\(arguments[0]) did not finish within \(timeout)")
        }
        do {
            return (status, try FileSystem.read(outputPath))
        } catch {
            throw ChildProcessError(description: "\(arguments[0]) ran, but its output cannot be read: \(error)")
        }
    }
}

/// A process could not be started or run.
public struct ChildProcessError: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}
