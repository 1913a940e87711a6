#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What /proc says about running processes: how the drivers see nginx's workers come and go.
enum ProcessTable {
    /// The children of `parent`, each with its command line (arguments joined by spaces; nginx rewrites its
    /// own, e.g. `nginx: worker process is shutting down`).
    static func children(of parent: pid_t) -> [(pid: pid_t, commandLine: String)] {
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
    static func parentOf(_ pid: pid_t) -> pid_t? {
        guard let stat = try? FileSystem.read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else {
            return nil
        }
        // After the command come state (field 3) and ppid (field 4).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) : nil
    }

    /// The command line of `pid`, arguments joined by spaces, or `nil` when there is no such process.
    static func commandLine(of pid: pid_t) -> String? {
        guard let raw = try? FileSystem.read("/proc/\(pid)/cmdline") else { return nil }
        return raw.split(separator: "\0").joined(separator: " ").trimmingSuffixSpaces()
    }

    static func isAlive(_ pid: pid_t) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }
}

extension String {
    fileprivate func trimmingSuffixSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
