#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations Reactor's drivers and clouds need, on plain POSIX calls.
///
/// Files are written and read with `O_NOFOLLOW`: a symbolic link planted in a state directory is
/// refused, never followed to overwrite (or disclose) the file it points at.
public enum FileSystem {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Creates `path` and its missing parents with `mode`.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws(Failure) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, mode) != 0 && errno != EEXIST {
                throw Failure(description: "cannot create \(current): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Creates the state directory `path` (and its missing parents) for this user alone: the
    /// directory itself is mode 0700; one that exists with a wider mode is narrowed.
    ///
    /// - Throws: when `path` is a symbolic link or not a directory, or is owned by another user
    ///   (whoever owns it could plant files Reactor would run or signal).
    public static func makePrivateDirectory(_ path: String) throws(Failure) {
        try makeOwnedDirectory(path, mode: 0o700)
    }

    /// Creates the state directory `path` (and its missing parents) with `mode`; one that exists
    /// with more permissions than `mode` is narrowed to it.
    ///
    /// Balancers' folders are 0755: nginx's and dnsmasq's workers drop to an unprivileged user
    /// when started as root and must still reach their files.
    ///
    /// - Throws: when `path` is a symbolic link or not a directory, or is owned by another user.
    public static func makeOwnedDirectory(_ path: String, mode: mode_t) throws(Failure) {
        let parent = path.split(separator: "/", omittingEmptySubsequences: true).dropLast().joined(separator: "/")
        if !parent.isEmpty { try makeDirectory((path.hasPrefix("/") ? "/" : "") + parent) }
        if mkdir(path, mode) != 0 && errno != EEXIST {
            throw Failure(description: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard lstat(path, &info) == 0 else {
            throw Failure(description: "cannot look at \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw Failure(description: "\(path) is not a directory (a symbolic link or a file is refused)")
        }
        guard info.st_uid == geteuid() else {
            throw Failure(
                description:
                    "\(path) belongs to user \(info.st_uid), not to this user (\(geteuid())); choose another folder or remove it"
            )
        }
        if info.st_mode & 0o777 & ~mode != 0 && chmod(path, mode) != 0 {
            throw Failure(description: "cannot make \(path) private: \(String(cString: strerror(errno)))")
        }
    }

    /// Writes `text` to `path` through a temporary file and a rename, so readers never see half of it.
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws(Failure) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else {
            throw Failure(description: "cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                close(fd)
                throw Failure(description: "cannot write \(temporary): \(String(cString: strerror(errno)))")
            }
            written += count
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            throw Failure(description: "cannot rename \(temporary): \(String(cString: strerror(errno)))")
        }
    }

    /// The file's text for a message about a program that failed (what it printed); when the file
    /// cannot be read, a line saying why, so that the message still says what is known.
    public static func textForMessage(_ path: String, from offset: Int = 0) -> String {
        do {
            return try read(path, from: offset)
        } catch {
            return "(\(error.description))\n"
        }
    }

    /// The file's text, or nil when it cannot be read: for the files whose absence is an answer —
    /// `/proc/<pid>/…` of a process that has exited, a pid file not written yet or removed, a
    /// configuration not written yet — where callers go on with "no such file".
    public static func readIfPresent(_ path: String, from offset: Int = 0) -> String? {
        do {
            return try read(path, from: offset)
        } catch {
            return nil
        }
    }

    /// The whole file as UTF-8 text.
    public static func read(_ path: String) throws(Failure) -> String {
        try read(path, from: 0)
    }

    /// The file from byte `offset` on (what was added since it had that size), as UTF-8 text.
    public static func read(_ path: String, from offset: Int) throws(Failure) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        if offset > 0 && lseek(fd, off_t(offset), SEEK_SET) < 0 {
            throw Failure(description: "cannot read \(path) from byte \(offset): \(String(cString: strerror(errno)))")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The file's size in bytes; 0 when it does not exist.
    public static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    public static func isExecutable(_ path: String) -> Bool {
        access(path, X_OK) == 0
    }

    /// `name` found on `PATH` or in the system binary directories, whichever comes first.
    public static func findExecutable(_ name: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin", "/sbin"]
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + name
            if isExecutable(candidate) { return candidate }
        }
        return nil
    }
}
