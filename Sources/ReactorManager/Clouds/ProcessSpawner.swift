import Foundation
import ProcessSupport

#if canImport(Glibc)
import Glibc
#endif

/// Starts instance processes in their own session (so they outlive a manager restart and can be
/// ended as a group) with a clean signal mask, and ends them.
enum ProcessSpawner {
    /// A started instance process: its pid and when it started, which together name it (a pid
    /// alone may be reused by a later process).
    struct Started: Sendable {
        var pid: Int32
        var startTime: UInt64
    }

    /// Starts `command` through `/bin/sh` with exactly `environment` (never the manager's own),
    /// output appended to `logPath` (created 0600, never through a symbolic link).
    static func spawn(command: String, environment: [String: String], logPath: String) throws -> Started {
        let child: ChildProcess
        do {
            child = try ChildProcess(
                ["/bin/sh", "-c", command],
                options: .init(environment: .exactly(environment), outputPath: logPath, grouping: .newSession))
        } catch {
            throw CloudError("cannot start the instance command: \(error)")
        }
        // Read at once: the shell is the session leader until the command replaces or ends it.
        // A process that has already exited has no start time; 0 then never matches a live one.
        return Started(pid: child.pid, startTime: ProcessTable.startTime(of: child.pid) ?? 0)
    }

    /// Whether the recorded process still runs (the same process: a pid reused by a later one
    /// does not count).
    static func isRunning(_ process: Started) -> Bool {
        ProcessCloud.isAlive(process.pid) && ProcessTable.isSameProcess(process.pid, startedAt: process.startTime)
    }

    /// Ends the instance's whole process group: SIGTERM, then SIGKILL after 3 s. Nothing is sent
    /// when the pid now names another process than the one started.
    static func terminate(_ process: Started) async {
        guard process.pid > 1, isRunning(process) else { return }
        kill(-process.pid, SIGTERM)
        for _ in 0..<60 {
            if !ProcessCloud.isAlive(process.pid) { break }
            await Pause.ignoringCancellation(.milliseconds(50))
        }
        if ProcessTable.isSameProcess(process.pid, startedAt: process.startTime) { kill(-process.pid, SIGKILL) }
        _ = ProcessCloud.isAlive(process.pid)
    }
}
