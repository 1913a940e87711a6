#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// haproxy's command line interface over a unix socket: one command per connection, the reply read until
/// haproxy closes. The socket is non-blocking and polled between short sleeps, so a slow haproxy never
/// holds a cooperative thread.
enum HAProxyCLI {
    /// Sends `command` (several may be joined with `;`) and returns the reply.
    ///
    /// On the master socket a command goes to a worker with a prefix: `@1 show stat` (the current worker),
    /// `@!<pid> show sess` (any worker, old ones included). The master keeps its connections open, so
    /// `; quit` is appended to have it close after answering.
    static func send(_ command: String, to path: String, timeout: Duration = .seconds(3))
        async throws(HAProxyBalancerError) -> String
    {
        // Non-blocking from the start, connect included: a master busy re-executing itself lets its backlog
        // fill, and a blocking connect would then hold a cooperative thread.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .failed("socket() failed: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw .failed("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let deadline = ContinuousClock.now + timeout
        while true {
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if connected == 0 || errno == EISCONN { break }
            guard [EAGAIN, EINPROGRESS, EALREADY, EINTR].contains(errno), ContinuousClock.now < deadline else {
                throw .failed("cannot reach haproxy at \(path): \(String(cString: strerror(errno)))")
            }
            try? await Task.sleep(for: .milliseconds(1))  // cancelled: the deadline still ends the loop
        }
        let request = Array((command + "\n").utf8)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if count > 0 {
                sent += count
            } else if errno == EAGAIN || errno == EINTR, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(1))  // cancelled: the deadline still ends the loop
            } else {
                throw .failed("cannot send to haproxy at \(path): \(String(cString: strerror(errno)))")
            }
        }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var pause = Duration.microseconds(200)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                reply += chunk[..<count]
                pause = .microseconds(200)
            } else if count == 0 || errno == ECONNRESET {
                break
            } else if errno == EAGAIN || errno == EINTR {
                guard ContinuousClock.now < deadline else {
                    throw .failed("haproxy did not answer '\(command)' within \(timeout)")
                }
                try? await Task.sleep(for: pause)  // cancelled: the deadline still ends the loop
                pause = min(pause * 2, .milliseconds(10))
            } else {
                throw .failed("cannot read from haproxy at \(path): \(String(cString: strerror(errno)))")
            }
        }
        return String(decoding: reply, as: UTF8.self)
    }

    /// The processes of `show proc` on the master socket: the master's reload and failure counts, the
    /// current worker(s) and the old ones still finishing their connections.
    struct Processes: Sendable, Hashable {
        var reloads = 0
        var failedReloads = 0
        var current: [pid_t] = []
        var old: [pid_t] = []

        init(_ text: String) {
            var section = ""
            for line in text.split(separator: "\n") {
                if line.hasPrefix("#") {
                    section = String(line)
                    continue
                }
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count >= 3, let pid = pid_t(fields[0]) else { continue }
                if fields[1] == "master" {
                    reloads = Int(fields[2]) ?? 0
                    if let index = fields.firstIndex(of: "[failed:"), index + 1 < fields.count {
                        failedReloads = Int(fields[index + 1].filter(\.isNumber)) ?? 0
                    }
                } else if fields[1] == "worker" {
                    if section.contains("old") { old.append(pid) } else { current.append(pid) }
                }
            }
        }
    }

    /// `show stat` CSV as rows of named fields.
    static func statRows(_ csv: String) -> [[String: Substring]] {
        let lines = csv.split(separator: "\n")
        guard let header = lines.first, header.hasPrefix("# ") else { return [] }
        let names = header.dropFirst(2).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { line in
            let values = line.split(separator: ",", omittingEmptySubsequences: false)
            var row: [String: Substring] = [:]
            for (name, value) in zip(names, values) { row[name] = value }
            return row
        }
    }

    /// One client session of `show sess`.
    struct Session: Sendable, Hashable {
        var id: String
        var client: String
        var backend: String
        var server: String
    }

    /// The client sessions of `show sess` (the CLI's own sessions, from unix sockets, are left out).
    static func sessions(_ text: String) -> [Session] {
        text.split(separator: "\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":"), line.contains("proto=tcp") else { return nil }
            var fields: [Substring: Substring] = [:]
            for field in line[line.index(after: colon)...].split(separator: " ") {
                guard let equals = field.firstIndex(of: "=") else { continue }
                fields[field[..<equals]] = field[field.index(after: equals)...]
            }
            guard let client = fields["src"], let backend = fields["be"], let server = fields["srv"] else { return nil }
            return Session(
                id: String(line[..<colon]), client: String(client), backend: String(backend), server: String(server))
        }
    }
}
