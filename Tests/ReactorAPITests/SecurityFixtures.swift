import Foundation
import ZooKeeperTesting

#if canImport(Glibc)
import Glibc
#endif

/// A `reactor` command run as a real process for the security tests, what it prints going to a
/// log file of its own.
struct ReactorProcess: Sendable {
    let process: ManagedProcess
    let arguments: [String]

    /// Starts `reactor arguments…` with `environment` added to the test's own.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> ReactorProcess {
        let log = NSTemporaryDirectory() + "reactor-security-\(UUID().uuidString.prefix(8)).log"
        let process = try ManagedProcess(
            [try reactorExecutable()] + arguments, environment: environment, logPath: log)
        return ReactorProcess(process: process, arguments: arguments)
    }

    /// Everything the command printed so far.
    var log: String { (try? String(contentsOfFile: process.logPath, encoding: .utf8)) ?? "" }

    /// Waits (at most `timeout`) for the command to exit and returns its status.
    func exitStatus(within timeout: Duration = .seconds(60)) async throws -> Int32 {
        try await eventually("`reactor \(arguments.joined(separator: " "))` exits", timeout: timeout) {
            !process.isRunning
        }
        return process.terminationStatus ?? -1
    }

    /// Waits (at most `timeout`) until the command listens on `port`.
    func waitListening(port: Int, timeout: Duration = .seconds(60)) async throws {
        try await eventually("`reactor \(arguments.joined(separator: " "))` listens on \(port)", timeout: timeout) {
            guard process.isRunning else { throw LocalServiceError("it exited:\n\(log)") }
            return LoopbackPorts.isListening(port: port)
        }
    }

    func stop() async { await process.kill() }
}

/// `curl` run for real, for what an HTTP client sees from outside.
enum Curl {
    /// The HTTP status and body of `curl -s arguments… url`, or `nil` status when curl failed
    /// (its exit code and error in `body`).
    static func request(_ url: String, _ arguments: [String] = [], timeout: Duration = .seconds(20)) async throws -> (
        status: Int?, body: String
    ) {
        let directory = NSTemporaryDirectory() + "reactor-curl-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let process = try ManagedProcess(
            ["curl", "-sS", "--max-time", "10", "-o", directory + "/body", "-w", "%{http_code}"] + arguments + [url],
            logPath: directory + "/out")
        try await eventually("curl \(url) finishes", timeout: timeout) { !process.isRunning }
        let out = (try? String(contentsOfFile: directory + "/out", encoding: .utf8)) ?? ""
        let body = (try? String(contentsOfFile: directory + "/body", encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            return (nil, "curl exited \(process.terminationStatus ?? -1): \(out)")
        }
        return (Int(out.trimmingCharacters(in: .whitespacesAndNewlines)), body)
    }
}

/// A new file holding `text` with permissions `mode`, in a folder of its own.
func securityFile(_ name: String, _ text: String, mode: mode_t) throws -> String {
    let directory = NSTemporaryDirectory() + "reactor-security-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let path = directory + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    guard chmod(path, mode) == 0 else { throw LocalServiceError("chmod \(path) failed: errno \(errno)") }
    return path
}
