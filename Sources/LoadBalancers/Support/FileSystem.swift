#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations the process-based drivers need, on plain POSIX calls.
enum FileSystem {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Creates `path` and its missing parents with `mode`.
    static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws(Failure) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, mode) != 0 && errno != EEXIST {
                throw Failure(description: "cannot create \(current): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Writes `text` to `path` through a temporary file and a rename, so readers never see half of it.
    static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws(Failure) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
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
    static func textForMessage(_ path: String, from offset: Int = 0) -> String {
        do {
            return try read(path, from: offset)
        } catch {
            return "(\(error.description))\n"
        }
    }

    /// The whole file as UTF-8 text.
    static func read(_ path: String) throws(Failure) -> String {
        try read(path, from: 0)
    }

    /// The file from byte `offset` on (what was added since it had that size), as UTF-8 text.
    static func read(_ path: String, from offset: Int) throws(Failure) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
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
    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    static func isExecutable(_ path: String) -> Bool {
        access(path, X_OK) == 0
    }

    /// `name` found on `PATH` or in the system binary directories, whichever comes first.
    static func findExecutable(_ name: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin", "/sbin"]
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + name
            if isExecutable(candidate) { return candidate }
        }
        return nil
    }
}
