/// Checks on znode paths, made before anything is sent so that mistakes are typed errors
/// naming the path rather than a generic `badArguments` from the C library.
public enum ZNodePath {
    /// Validates `path` by ZooKeeper's rules: absolute, no empty, `.` or `..` segment, no trailing
    /// `/` (except the root, or a sequential create's prefix), no NUL or control characters, none
    /// of the characters the server refuses (U+D800–U+F8FF, U+FFF0–U+FFFF, and everything past
    /// U+FFFF: Java holds those as surrogate pairs, which the server rejects with `badArguments`).
    /// - Parameters:
    ///   - path: the path to check.
    ///   - allowTrailingSlash: allow a trailing `/`, as a sequential create's name prefix may have.
    public static func validate(_ path: String, allowTrailingSlash: Bool = false) throws(ZooKeeperError) {
        func invalid(_ reason: String) -> ZooKeeperError {
            ZooKeeperError(.invalidPath, path: path, message: "invalid path '\(printable(path))': \(reason)")
        }
        if path.isEmpty { throw invalid("the path is empty") }
        // One pass over the UTF-8 bytes, without allocating: this runs before every call.
        var utf8 = path.utf8.makeIterator()
        guard utf8.next() == UInt8(ascii: "/") else { throw invalid("a path must start with '/'") }
        if path.utf8.count == 1 { return }
        var segmentLength = 0
        var dots = 0
        var previous: UInt8 = 0
        while let byte = utf8.next() {
            if byte == UInt8(ascii: "/") {
                if segmentLength == 0 { throw invalid("empty segment ('//')") }
                if dots == segmentLength && dots <= 2 {
                    throw invalid("relative segment '\(String(repeating: ".", count: dots))'")
                }
                segmentLength = 0
                dots = 0
            } else {
                if byte < 0x20 || byte == 0x7F { throw invalid("control character \(byte) is not allowed") }
                // U+0080…U+009F are C2 80…C2 9F; U+D800…U+F8FF start with ED A0…EF A3; U+FFF0…U+FFFF are EF BF B0…BF.
                if previous == 0xC2 && byte >= 0x80 && byte <= 0x9F {
                    throw invalid("control character is not allowed")
                }
                segmentLength += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
            previous = byte
        }
        if segmentLength == 0 {
            guard allowTrailingSlash else { throw invalid("a path must not end with '/'") }
        } else if dots == segmentLength && dots <= 2 {
            throw invalid("relative segment '\(String(repeating: ".", count: dots))'")
        }
        if path.utf8.contains(where: { $0 >= 0xED }) {
            for scalar in path.unicodeScalars where isForbidden(scalar) {
                throw invalid("character U+\(String(scalar.value, radix: 16, uppercase: true)) is not allowed")
            }
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
        case 0x0000...0x001F, 0x007F...0x009F, 0xD800...0xF8FF, 0xFFF0...: true
        default: false
        }
    }

    private static func printable(_ path: String) -> String {
        String(path.unicodeScalars.map { isForbidden($0) ? "?" : Character($0) }.prefix(200))
    }
}
