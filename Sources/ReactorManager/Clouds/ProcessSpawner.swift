import Foundation
import ProcessSupport

#if canImport(Glibc)
import Glibc
#endif

/// Starts instance processes in their own session (so they outlive a manager restart and can be
/// ended as a group) with a clean signal mask, and ends them.
enum ProcessSpawner {
    /// Starts `command` through `/bin/sh` with exactly `environment` (never the manager's own).
    static func spawn(command: String, environment: [String: String], logPath: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the manager's (ZooKeeper and balancer sockets, client connections)
        // reaches the instance: an inherited socket would outlive its connection.
        SpawnActions.closeInherited(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A session and process group of its own.
        SpawnActions.cleanSignals(&attributes, grouping: .newSession)

        do {
            return try ProcessLaunch.spawn(
                "/bin/sh", arguments: ["/bin/sh", "-c", command], environment: environment, actions: &actions,
                attributes: &attributes)
        } catch {
            throw CloudError("cannot start the instance command: \(error.reason)")
        }
    }

    /// When the process started (clock ticks since boot, from /proc), to tell a pid from a later
    /// process that reused it.
    static func startTime(_ pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command come state (field 3) … starttime (field 22).
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    /// Ends the instance's whole process group: SIGTERM, then SIGKILL after 3 s.
    static func terminate(_ pid: Int32) async {
        guard pid > 1 else { return }
        kill(-pid, SIGTERM)
        for _ in 0..<60 {
            if !ProcessCloud.isAlive(pid) { break }
            try? await Task.sleep(for: .milliseconds(50))
        }
        kill(-pid, SIGKILL)
        _ = ProcessCloud.isAlive(pid)
    }

}
