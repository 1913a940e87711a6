import Foundation
import ProcessSupport
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process for tests that cannot outlive the test run.
///
/// The command is started through a small shell guard holding the read end of a pipe whose
/// write end only this process has: when ``kill()`` closes it, or when the test process dies
/// however it dies, the guard kills the command (SIGKILL). The guard `exec`s into the command,
/// so ``pid`` is the command's own pid. The child gets a clean signal mask and default signal
/// handlers (the test runner's threads block signals, and a child would inherit that).
public final class ManagedProcess: Sendable {
    /// The command's pid.
    public let pid: pid_t
    /// The file the child's standard output and error go to.
    public let logPath: String
    /// What was run, for messages.
    public let commandLine: String
    private let guardInput: Mutex<Int32>
    private let child: ChildProcess

    /// Starts `arguments[0]` (a path, or a name looked up on PATH) with the rest as arguments.
    ///
    /// - Parameters:
    ///   - environment: variables added to (or replacing) this process's environment.
    ///   - logPath: where standard output and error go (appended to).
    public init(_ arguments: [String], environment: [String: String] = [:], logPath: String) throws {
        precondition(!arguments.isEmpty, "a command is needed")
        // A background list's standard input is /dev/null in a non-interactive shell, so the
        // watcher reads the pipe through fd 3.
        let guardScript = """
            exec 3<&0
            ( read -r _ <&3; kill -9 $$ 2>/dev/null ) &
            exec 3<&-
            exec "$@" </dev/null
            """
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { throw LocalServiceError("pipe failed: errno \(errno)") }
        // Only the guard may hold the read end, and only this process the write end. Nothing else
        // of this process reaches the command (ChildProcess closes every other descriptor): an
        // inherited write end of another command's guard pipe would keep that command alive after
        // its owner died.
        for fd in pipeFDs { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let launched = Result { () throws(ChildProcessError) in
            try ChildProcess(
                ["/bin/sh", "-c", guardScript, "guard"] + arguments,
                options: .init(
                    environment: .inherited(adding: environment), standardInput: pipeFDs[0], outputPath: logPath,
                    outputMode: 0o644, grouping: .newProcessGroup))
        }
        close(pipeFDs[0])
        guard case .success(let child) = launched else {
            close(pipeFDs[1])
            throw LocalServiceError("cannot start \(arguments[0]): \(launched)")
        }
        self.child = child
        self.pid = child.pid
        self.guardInput = Mutex(pipeFDs[1])
        self.logPath = logPath
        self.commandLine = arguments.joined(separator: " ")
    }

    deinit {
        let fd = guardInput.withLock { $0 }
        if fd >= 0 { close(fd) }
    }

    /// Whether the command is still running (it is reaped once it has exited).
    public var isRunning: Bool { child.isRunning }

    /// The exit status once the command has exited: the exit code, or 128 + the signal number.
    public var terminationStatus: Int32? { child.terminationStatus }

    /// Kills the command at once (SIGKILL, like a crash or a power cut) and waits for it.
    public func kill() async {
        guardInput.withLock { fd in
            if fd >= 0 { close(fd) }
            fd = -1
        }
        Glibc.kill(pid, SIGKILL)
        await waitForExit()
    }

    /// Sends `signal` to the command: SIGTERM, SIGSTOP, SIGCONT …
    public func signal(_ signal: Int32) {
        if isRunning { Glibc.kill(pid, signal) }
    }

    /// Waits until the command has exited and returns its status.
    @discardableResult
    public func waitForExit() async -> Int32 {
        while true {
            if let status = await child.waitForExit(timeout: .seconds(3600)) { return status }
        }
    }

    /// The last `lines` lines of the log, for failure messages.
    public func logTail(_ lines: Int = 30) -> String {
        // A log not written yet is an empty tail.
        guard let text = FileSystem.readIfPresent(logPath) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
