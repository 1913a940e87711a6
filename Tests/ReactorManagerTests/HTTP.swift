import Foundation
import ProcessSupport

#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client for tests that talk to a running `reactor api`, a balancer or an
/// instance: one connection per request (`Connection: close`), on a thread of its own, every
/// step bounded by the request's deadline.
///
/// Not URLSession: on Linux, cancelling a task that awaits `URLSession.data(for:)` can deadlock
/// with the session's queue completing it (the cancel handler waits for the queue while holding
/// the task's status lock, which the completion needs), and a test that stops its load task
/// then hangs for good.
struct HTTP {
    let base: String
    /// How long one request may take in all.
    var timeout: Duration = .seconds(10)

    struct Response {
        let status: Int
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func request(_ method: String, _ path: String, json: Any? = nil) async throws -> Response {
        guard let url = URL(string: base + path), let host = url.host, let port = url.port else {
            throw Failure(description: "cannot request \(base + path): a test URL is http://ip:port/…")
        }
        var body: [UInt8] = []
        var head = "\(method) \(url.path.isEmpty ? "/" : url.path)\(url.query.map { "?\($0)" } ?? "") HTTP/1.1\r\n"
        head += "Host: \(host):\(port)\r\nAccept: application/json\r\nConnection: close\r\n"
        if let json {
            body = Array(try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed]))
            head += "Content-Type: application/json\r\n"
        }
        if method != "GET" || !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
        let bytes = Array((head + "\r\n").utf8) + body
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let result: Result<[UInt8], Failure> = await withCheckedContinuation { continuation in
            let started = DetachedThread.start(name: "test-http") {
                continuation.resume(returning: Self.exchange(host: host, port: port, bytes, timeout: seconds))
            }
            if !started { continuation.resume(returning: .failure(Failure(description: "no thread for the request"))) }
        }
        return try Self.parse(try result.get(), request: "\(method) \(base + path)")
    }

    func get(_ path: String) async throws -> Response { try await request("GET", path) }
    func post(_ path: String, _ json: Any? = nil) async throws -> Response {
        try await request("POST", path, json: json)
    }

    /// GET `path` and decode a JSON array of strings.
    func strings(_ path: String) async throws -> [String] {
        (try await get(path).json as? [String]) ?? []
    }

    /// Connects, sends `bytes` and reads until the server closes, all within `timeout` seconds.
    static func exchange(host: String, port: Int, _ bytes: [UInt8], timeout: Double) -> Result<[UInt8], Failure> {
        let deadline = Date().addingTimeInterval(timeout)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            return .failure(Failure(description: "\(host) is not an IPv4 address"))
        }
        let fd = socket(
            AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return .failure(Failure(description: "socket: errno \(errno)")) }
        defer { close(fd) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if connected != 0 && errno != EINPROGRESS {
            return .failure(Failure(description: "connect to \(host):\(port): errno \(errno)"))
        }
        guard wait(fd, for: Int16(POLLOUT), until: deadline) else {
            return .failure(Failure(description: "connect to \(host):\(port) timed out"))
        }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else { return .failure(Failure(description: "connect to \(host):\(port): errno \(error)")) }
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                sent += count
            } else if count < 0 && (errno == EAGAIN || errno == EINTR) {
                guard wait(fd, for: Int16(POLLOUT), until: deadline) else {
                    return .failure(Failure(description: "sending to \(host):\(port) timed out"))
                }
            } else {
                return .failure(Failure(description: "send to \(host):\(port): errno \(errno)"))
            }
        }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 {
                reply += buffer[..<count]
            } else if count == 0 {
                return .success(reply)
            } else if errno == EAGAIN || errno == EINTR {
                guard wait(fd, for: Int16(POLLIN), until: deadline) else {
                    return .failure(Failure(description: "no whole answer from \(host):\(port) within \(timeout) s"))
                }
            } else if errno == ECONNRESET && !reply.isEmpty {
                return .success(reply)
            } else {
                return .failure(Failure(description: "recv from \(host):\(port): errno \(errno)"))
            }
        }
    }

    /// Whether `fd` became ready for `events` before `deadline`.
    private static func wait(_ fd: Int32, for events: Int16, until deadline: Date) -> Bool {
        while true {
            let left = Int32(max(0, deadline.timeIntervalSinceNow * 1000).rounded(.up))
            guard left > 0 else { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, left)
            if ready > 0 { return true }
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { return false }
            return true  // an error: the next send or recv reports it
        }
    }

    /// Status and body of a whole HTTP/1.1 answer (a chunked body is joined).
    static func parse(_ bytes: [UInt8], request: String) throws -> Response {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = bytes.firstRange(of: separator) else {
            throw Failure(description: "\(request): no HTTP answer (\(bytes.count) bytes)")
        }
        let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.first?.split(separator: " ") ?? []
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
            throw Failure(description: "\(request): not an HTTP status line: \(lines.first ?? "")")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        var body = Array(bytes[end.upperBound...])
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            body = try unchunk(body, request: request)
        } else if let length = headers["content-length"].flatMap(Int.init), length <= body.count {
            body = Array(body.prefix(length))
        }
        return Response(status: status, body: Data(body))
    }

    private static func unchunk(_ bytes: [UInt8], request: String) throws -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        let crlf: [UInt8] = [13, 10]
        while true {
            guard let lineEnd = bytes[index...].firstRange(of: crlf),
                let size = Int(
                    String(decoding: bytes[index..<lineEnd.lowerBound], as: UTF8.self)
                        .split(separator: ";").first ?? "", radix: 16)
            else { throw Failure(description: "\(request): a chunked body cut short") }
            index = lineEnd.upperBound
            if size == 0 { return result }
            guard index + size <= bytes.count else { throw Failure(description: "\(request): a chunk cut short") }
            result += bytes[index..<index + size]
            index += size + 2
        }
    }
}
