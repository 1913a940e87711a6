import Foundation
import ProcessSupport
import Synchronization
import ZooKeeperTesting

#if canImport(Glibc)
import Glibc
#endif

/// What a finished `reactor` command left: its exit status and what it printed.
struct CLIResult: Sendable, CustomStringConvertible {
    let arguments: [String]
    /// The exit code, or 128 + the signal number.
    let status: Int32
    let stdout: String
    let stderr: String

    /// Standard output split into lines, without the final empty one.
    var lines: [String] {
        var lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Standard error without its final newline.
    var error: String { stderr.trimmingCharacters(in: .newlines) }

    var description: String {
        "`reactor \(arguments.joined(separator: " "))` exited \(status)\n--- stdout:\n\(stdout)--- stderr:\n\(stderr)"
    }
}

/// A `reactor` command run as a real process, standard output and error captured in files, with
/// an optional standard input. Waiting polls with `Task.sleep`, so no thread of the cooperative
/// pool is held.
final class CLIProcess: Sendable {
    let pid: pid_t
    let arguments: [String]
    private let directory: String
    private let child: ChildProcess

    /// Starts `reactor arguments…`.
    ///
    /// - Parameters:
    ///   - environment: added to (or replacing) the test process's environment.
    ///   - stdin: standard input; `nil` is `/dev/null`.
    init(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws {
        let binary = try reactorExecutable()
        directory = NSTemporaryDirectory() + "reactor-cli-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let inputPath = stdin == nil ? "/dev/null" : directory + "/stdin"
        if let stdin { try Data(stdin.utf8).write(to: URL(fileURLWithPath: inputPath)) }

        let input = open(inputPath, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw LocalServiceError("cannot open \(inputPath): errno \(errno)") }
        defer { close(input) }
        child = try ChildProcess(
            [binary] + arguments,
            options: .init(
                environment: .inherited(adding: environment), standardInput: input, outputPath: directory + "/stdout",
                errorPath: directory + "/stderr", truncating: true, outputMode: 0o644))
        self.pid = child.pid
        self.arguments = arguments
    }

    deinit {
        if child.isRunning {
            Glibc.kill(pid, SIGKILL)
            var raw: Int32 = 0
            waitpid(pid, &raw, 0)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// What the command has printed on standard output so far.
    var stdout: String { (try? String(contentsOfFile: directory + "/stdout", encoding: .utf8)) ?? "" }
    /// What the command has printed on standard error so far.
    var stderr: String { (try? String(contentsOfFile: directory + "/stderr", encoding: .utf8)) ?? "" }

    /// Sends `signal` (SIGINT is what Ctrl-C sends).
    func signal(_ signal: Int32) { Glibc.kill(pid, signal) }

    /// The exit status once the command has exited.
    var terminationStatus: Int32? { child.terminationStatus }

    /// Waits for the command to exit; kills it after `timeout`.
    func finish(timeout: Duration = .seconds(30)) async throws -> CLIResult {
        let deadline = ContinuousClock.now + timeout
        while terminationStatus == nil {
            if ContinuousClock.now > deadline {
                Glibc.kill(pid, SIGKILL)
                while terminationStatus == nil { try await Task.sleep(for: .milliseconds(10)) }
                throw LocalServiceError(
                    "`reactor \(arguments.joined(separator: " "))` did not finish within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return CLIResult(arguments: arguments, status: terminationStatus ?? -1, stdout: stdout, stderr: stderr)
    }
}
