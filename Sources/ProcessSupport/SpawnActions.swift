#if canImport(Glibc)
import Glibc
#endif

/// The pieces of a `posix_spawn` setup every child process of Reactor needs (instances, nginx,
/// haproxy, test servers), in one place.
public enum SpawnActions {
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module
    /// does not import; looked up once.
    private static let closeFrom: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else {
            return nil
        }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    /// Closes, in the child, every descriptor from `lowest` up, so that nothing of the parent
    /// (ZooKeeper and balancer sockets, client connections, other children's pipes) leaks into
    /// it: an inherited socket outlives its connection, an inherited pipe end hides an EOF.
    ///
    /// Without the glibc call, the descriptors open now (from /proc/self/fd) are closed instead.
    public static func closeInherited(_ actions: inout posix_spawn_file_actions_t, from lowest: Int32 = 3) {
        if let closeFrom, closeFrom(&actions, lowest) == 0 { return }
        guard let directory = opendir("/proc/self/fd") else { return }
        defer { closedir(directory) }
        let own = dirfd(directory)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let fd = Int32(name), fd >= lowest, fd != own else { continue }
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }

    /// Where a child stands among processes.
    public enum Grouping: Sendable {
        /// In the parent's process group.
        case parentGroup
        /// In a process group of its own (signalled as a group with `kill(-pid, …)`).
        case newProcessGroup
        /// In a session and process group of its own (survives the parent's terminal and group).
        case newSession
    }

    /// A child with no blocked signals and every handler at its default (the parent may ignore
    /// SIGPIPE or block signals it waits for), grouped as `grouping` says.
    public static func cleanSignals(_ attributes: inout posix_spawnattr_t, grouping: Grouping) {
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        switch grouping {
        case .parentGroup: break
        case .newProcessGroup:
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
        case .newSession:
            flags |= 0x80  // POSIX_SPAWN_SETSID in glibc (not imported into Swift)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
    }
}
