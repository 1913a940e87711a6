import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A client of one Docker engine's API over its unix socket (HTTP/1.1 and JSON; never the
/// `docker` command). Paths carry no version prefix: the engine answers in its own current
/// version, whose fields used here have been stable since API 1.24.
///
/// Every call has a deadline; an answer that is not a success becomes a ``DockerEngineError``
/// carrying the engine's message.
public struct DockerEngine: Sendable {
    public let socketPath: String
    /// Deadline of one request (pulls have their own, longer one).
    public var timeout: Duration
    let http: UnixSocketHTTP

    /// - Parameters:
    ///   - socketPath: the engine's socket; default `/var/run/docker.sock`.
    ///   - timeout: deadline of each request; default 30 s (stopping a container waits for it).
    public init(
        socketPath: String = "/var/run/docker.sock", timeout: Duration = .seconds(30),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.socketPath = socketPath
        self.timeout = timeout
        self.http = UnixSocketHTTP(socketPath: socketPath, group: group)
    }

    /// `GET /_ping`: whether the engine answers at all.
    ///
    /// - Parameter timeout: default 2 s (a manager probes before it advertises `docker`).
    public func ping(timeout: Duration = .seconds(2)) async throws {
        let answer = try await http.send(method: .GET, path: "/_ping", timeout: timeout)
        try Self.check(answer, "GET /_ping")
    }

    /// `GET /version`.
    public func version() async throws -> EngineVersion {
        try await json(.GET, "/version", as: EngineVersion.self)
    }

    /// `POST /containers/create?name=…`: the new container's id.
    ///
    /// - Throws: ``DockerEngineError/conflict(_:)`` when a container of that name exists,
    ///   ``DockerEngineError/notFound(_:)`` when the image is not on the engine.
    public func createContainer(name: String, _ spec: ContainerSpec) async throws -> String {
        struct Created: Decodable {
            var id: String
            enum CodingKeys: String, CodingKey { case id = "Id" }
        }
        let body = try JSONEncoder().encode(spec)
        return try await json(.POST, "/containers/create?name=\(Self.query(name))", body: Array(body), as: Created.self)
            .id
    }

    /// `POST /containers/{id}/start`; starting a running container is not an error.
    public func startContainer(_ id: String) async throws {
        let answer = try await http.send(method: .POST, path: "/containers/\(Self.path(id))/start", timeout: timeout)
        if answer.status == 304 { return }
        try Self.check(answer, "start \(id)")
    }

    /// `GET /containers/{id}/json`.
    public func inspectContainer(_ id: String) async throws -> ContainerDetails {
        try await json(.GET, "/containers/\(Self.path(id))/json", as: ContainerDetails.self)
    }

    /// `GET /containers/json?all=1&filters=…`: every container (running or not) carrying all of
    /// `labels`.
    public func listContainers(labels: [String: String]) async throws -> [ContainerSummary] {
        let filter = ["label": labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }]
        let filters = String(decoding: try JSONEncoder().encode(filter), as: UTF8.self)
        return try await json(
            .GET, "/containers/json?all=1&filters=\(Self.query(filters))", as: [ContainerSummary].self)
    }

    /// `POST /containers/{id}/stop?t=…`: SIGTERM, then SIGKILL after `grace` seconds. A stopped
    /// container is not an error.
    public func stopContainer(_ id: String, grace: Int = 10) async throws {
        let answer = try await http.send(
            method: .POST, path: "/containers/\(Self.path(id))/stop?t=\(max(0, grace))",
            timeout: timeout + .seconds(max(0, grace)))
        if answer.status == 304 { return }
        try Self.check(answer, "stop \(id)")
    }

    /// `DELETE /containers/{id}?force=1&v=1`: removes the container (killing it if it runs) and
    /// its anonymous volumes.
    public func removeContainer(_ id: String) async throws {
        let answer = try await http.send(
            method: .DELETE, path: "/containers/\(Self.path(id))?force=1&v=1", timeout: timeout)
        try Self.check(answer, "remove \(id)")
    }

    /// `GET /containers/{id}/logs`: the last `lines` lines of its output (both streams).
    public func containerLogs(_ id: String, lines: Int) async throws -> String {
        let answer = try await http.send(
            method: .GET, path: "/containers/\(Self.path(id))/logs?stdout=1&stderr=1&tail=\(max(1, lines))",
            timeout: timeout, maximumBody: 1 << 20)
        try Self.check(answer, "logs of \(id)")
        return Self.demultiplexed(answer.body)
    }

    /// `GET /images/{name}/json`: whether the engine has the image.
    public func hasImage(_ reference: String) async throws -> Bool {
        let answer = try await http.send(method: .GET, path: "/images/\(Self.path(reference))/json", timeout: timeout)
        if answer.status == 404 { return false }
        try Self.check(answer, "inspect image \(reference)")
        return true
    }

    /// `POST /images/create?fromImage=…`: pulls an image from its registry.
    ///
    /// - Parameter timeout: default 5 minutes.
    /// - Throws: the engine's message when the pull fails (reported inside the progress stream
    ///   as well as by status).
    public func pullImage(_ reference: String, timeout: Duration = .seconds(300)) async throws {
        let answer = try await http.send(
            method: .POST, path: "/images/create?fromImage=\(Self.query(reference))", timeout: timeout)
        try Self.check(answer, "pull \(reference)")
        // Progress is one JSON object a line; a failure midway is a line with "error". A line
        // that is not JSON is progress text, not a failure: skipped.
        for line in answer.body.split(separator: UInt8(ascii: "\n")) {
            if let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let message = object["error"] as? String
            {
                throw DockerEngineError.engine(status: answer.status, message: message)
            }
        }
    }

    // MARK: Helpers

    func json<T: Decodable>(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, as: T.Type) async throws -> T {
        let answer = try await http.send(method: method, path: path, body: body, timeout: timeout)
        try Self.check(answer, "\(method) \(path)")
        do {
            return try JSONDecoder().decode(T.self, from: Data(answer.body))
        } catch {
            throw DockerEngineError.unreadableAnswer("\(method) \(path): \(error)")
        }
    }

    /// Turns an answer that is not a success into the matching error, with the engine's message
    /// (`{"message": "…"}`) or, failing that, the start of its body.
    static func check(_ answer: UnixSocketHTTP.Answer, _ operation: String) throws {
        guard !(200..<300).contains(answer.status) else { return }
        let message = engineMessage(answer.body) ?? "\(operation) failed"
        switch answer.status {
        case 404: throw DockerEngineError.notFound(message)
        case 409: throw DockerEngineError.conflict(message)
        default: throw DockerEngineError.engine(status: answer.status, message: message)
        }
    }

    static func engineMessage(_ body: [UInt8]) -> String? {
        struct Message: Decodable { var message: String }
        // Not the engine's JSON (a proxy's page): the body's own text says what went wrong.
        if let decoded = try? JSONDecoder().decode(Message.self, from: Data(body)) { return decoded.message }
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// The text of a log stream: without a TTY the engine frames each chunk with an 8-byte header
    /// (stream, three zero bytes, big-endian length).
    static func demultiplexed(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var index = 0
        while index + 8 <= bytes.count, bytes[index] <= 2, bytes[index + 1] == 0 {
            let length = bytes[(index + 4)..<(index + 8)].reduce(0) { $0 << 8 | Int($1) }
            let end = min(bytes.count, index + 8 + length)
            output += bytes[(index + 8)..<end]
            index = end
        }
        // No frames at all: a TTY container's raw output.
        return String(decoding: index == 0 ? bytes : output, as: UTF8.self)
    }

    static let unreserved = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    static func query(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    /// A container id or name, or an image reference, in a path (an image's `/` and `:` stay).
    static func path(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved.union(CharacterSet(charactersIn: "/:@"))) ?? value
    }
}
