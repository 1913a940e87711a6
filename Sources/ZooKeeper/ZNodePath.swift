/// Checks on znode paths, made before anything is sent so that mistakes are typed errors
/// naming the path rather than a generic `badArguments` from the C library.
public enum ZNodePath {
    /// Validates `path` by ZooKeeper's rules: absolute, no empty, `.` or `..` segment, no trailing
    /// `/` (except the root, or a sequential create's prefix), no NUL or control characters.
    /// - Parameters:
    ///   - path: the path to check.
    ///   - allowTrailingSlash: allow a trailing `/`, as a sequential create's name prefix may have.
    public static func validate(_ path: String, allowTrailingSlash: Bool = false) throws(ZooKeeperError) {
        func invalid(_ reason: String) -> ZooKeeperError {
            ZooKeeperError(.invalidPath, path: path, message: "invalid path '\(printable(path))': \(reason)")
        }
        if path.isEmpty { throw invalid("the path is empty") }
        guard path.hasPrefix("/") else { throw invalid("a path must start with '/'") }
        if path == "/" { return }
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if path.hasSuffix("/") {
            guard allowTrailingSlash else { throw invalid("a path must not end with '/'") }
            segments = segments.dropLast()
        }
        for segment in segments {
            if segment.isEmpty { throw invalid("empty segment ('//')") }
            if segment == "." || segment == ".." { throw invalid("relative segment '\(segment)'") }
        }
        for scalar in path.unicodeScalars where isForbidden(scalar) {
            throw invalid("character U+\(String(scalar.value, radix: 16, uppercase: true)) is not allowed")
        }
    }

    /// Joins a parent path and a child name.
    public static func join(_ parent: String, _ child: String) -> String {
        parent == "/" ? "/" + child : parent + "/" + child
    }

    /// The parent of `path` (`/` for top-level nodes and for the root).
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// The last segment of `path`.
    public static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0000...0x001F, 0x007F...0x009F, 0xD800...0xF8FF, 0xFFF0...0xFFFF: true
        default: false
        }
    }

    private static func printable(_ path: String) -> String {
        String(path.unicodeScalars.map { isForbidden($0) ? "?" : Character($0) }.prefix(200))
    }
}
