#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What /proc says about running processes: how the drivers see nginx's workers come and go, and
/// how a recorded pid is told from a later process that reused it.
public enum ProcessTable {
    /// The children of `parent`, each with its command line (arguments joined by spaces; nginx rewrites its
    /// own, e.g. `nginx: worker process is shutting down`).
    public static func children(of parent: pid_t) -> [(pid: pid_t, commandLine: String)] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var result: [(pid: pid_t, commandLine: String)] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = pid_t(name), parentOf(pid) == parent else { continue }
            result.append((pid, commandLine(of: pid) ?? ""))
        }
        return result
    }

    /// The parent pid of `pid`, from `/proc/<pid>/stat`.
    public static func parentOf(_ pid: pid_t) -> pid_t? {
        // A stat that cannot be read is a process that has exited: no parent to tell.
        guard let stat = FileSystem.readIfPresent("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else {
            return nil
        }
        // After the command come state (field 3) and ppid (field 4).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) : nil
    }

    /// The command line of `pid`, arguments joined by spaces, or `nil` when there is no such process.
    public static func commandLine(of pid: pid_t) -> String? {
        // No command line to read: the process has exited.
        guard let raw = FileSystem.readIfPresent("/proc/\(pid)/cmdline") else { return nil }
        return raw.split(separator: "\0").joined(separator: " ").trimmingSuffixSpaces()
    }

    /// Whether a process `pid` exists (also one of another user's).
    public static func isAlive(_ pid: pid_t) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }

    /// When the process started (clock ticks since boot, field 22 of `/proc/<pid>/stat`), or `nil`
    /// when there is no such process.
    public static func startTime(of pid: pid_t) -> UInt64? {
        // An unreadable stat is a process that has exited.
        guard pid > 0, let stat = FileSystem.readIfPresent("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command come state (field 3) … starttime (field 22).
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    /// Whether `pid` is still the process that started at `startTime`: a pid Reactor recorded is
    /// signalled only then, never a later process that reused the number.
    public static func isSameProcess(_ pid: pid_t, startedAt startTime: UInt64) -> Bool {
        self.startTime(of: pid) == startTime
    }
}

extension String {
    fileprivate func trimmingSuffixSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
