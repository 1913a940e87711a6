import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The `posix_spawn` call behind ``ChildProcess``.
enum ProcessLaunch {
    /// `posix_spawn` refused to start the program.
    struct Failure: Error, CustomStringConvertible {
        let executable: String
        /// The error number `posix_spawn` returned.
        let code: Int32

        /// What the system says of `code`.
        var reason: String { String(cString: strerror(code)) }
        var description: String { "cannot start \(executable): \(reason)" }
    }

    /// Starts `executable` with `arguments` (the first being its name) and this process's
    /// environment, with `adding` merged over it.
    ///
    /// - Returns: the child's pid.
    static func spawn(
        _ executable: String, arguments: [String], adding environment: [String: String] = [:],
        actions: inout posix_spawn_file_actions_t, attributes: inout posix_spawnattr_t
    ) throws(Failure) -> pid_t {
        var pid: pid_t = 0
        let result: Int32
        if environment.isEmpty {
            result = withCStrings(arguments) { posix_spawn(&pid, executable, &actions, &attributes, $0, environ) }
        } else {
            let merged = currentEnvironment().merging(environment) { _, new in new }
            result = withCStrings(arguments) { argv in
                withCStrings(merged.map { "\($0.key)=\($0.value)" }) { envp in
                    posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
                }
            }
        }
        guard result == 0 else { throw Failure(executable: executable, code: result) }
        return pid
    }

    /// Starts `executable` with `arguments` (the first being its name) and exactly `environment`:
    /// nothing of this process's own environment reaches the child.
    ///
    /// - Returns: the child's pid.
    static func spawn(
        _ executable: String, arguments: [String], environment: [String: String],
        actions: inout posix_spawn_file_actions_t, attributes: inout posix_spawnattr_t
    ) throws(Failure) -> pid_t {
        var pid: pid_t = 0
        let result = withCStrings(arguments) { argv in
            withCStrings(environment.map { "\($0.key)=\($0.value)" }) { envp in
                posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            }
        }
        guard result == 0 else { throw Failure(executable: executable, code: result) }
        return pid
    }

    /// This process's environment.
    static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }

    /// Runs `body` with `strings` as a NULL-terminated array of C strings.
    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}

/// How a child process ended, learnt without blocking and kept once known.
public final class ExitStatus: Sendable {
    public let pid: pid_t
    private let known = Mutex<Int32?>(nil)

    public init(pid: pid_t) {
        self.pid = pid
    }

    /// `nil` while the process runs; once it has exited, its exit code, or 128 + the number of the
    /// signal that ended it; -1 when it has exited but its status cannot be known (another part of
    /// the program reaped it, or SIGCHLD is ignored).
    public var value: Int32? {
        known.withLock { status in
            if let status { return status }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == 0 { return nil }
            if result < 0 {
                // ECHILD: reaped elsewhere; ask the kernel whether it still runs.
                if kill(pid, 0) == 0 { return nil }
                status = -1
                return status
            }
            status = Self.decode(raw)
            return status
        }
    }

    /// A `waitpid` status as an exit code, or 128 + the signal number.
    public static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}
