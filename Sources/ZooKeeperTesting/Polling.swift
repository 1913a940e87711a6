import Foundation
import LocalServices

/// Waits until `condition` holds, polling every 50 ms.
///
/// - Throws: ``LocalServiceError`` naming `what` after `timeout` (default 20 s).
public func eventually(
    _ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    var lastError: (any Error)?
    while ContinuousClock.now < deadline {
        do {
            if try await condition() { return }
        } catch {
            lastError = error
        }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw LocalServiceError(
        "timed out after \(timeout) waiting for: \(what)\(lastError.map { " (last error: \($0))" } ?? "")")
}

/// The `reactor` executable built next to the test bundle (or `REACTOR_BIN`).
public func reactorExecutable() throws -> String {
    if let path = ProcessInfo.processInfo.environment["REACTOR_BIN"] { return path }
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("reactor").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    let fallback = FileManager.default.currentDirectoryPath + "/.build/debug/reactor"
    if FileManager.default.isExecutableFile(atPath: fallback) { return fallback }
    throw LocalServiceError("the reactor executable was not built (run `swift build` first, or set REACTOR_BIN)")
}
