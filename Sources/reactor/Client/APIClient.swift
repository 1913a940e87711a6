import Foundation
import ReactorCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small client for the Reactor REST API (v1.1): one request per call, JSON in and out, every
/// failure turned into a ``ClientError`` an operator can read.
struct APIClient: Sendable {
    /// The API's base URL, e.g. `http://127.0.0.1:8080` (a path prefix is kept).
    let base: String
    /// Sent as `X-Auth-Key` when set.
    let authKey: String?
    /// Seconds to wait for each request.
    let timeout: Double

    /// An answer with a 2xx status.
    struct Reply: Sendable {
        let status: Int
        let body: Data
        /// The `ETag` header, when the API sent one.
        var eTag: String? = nil
        /// The `Reactor-Notice` header: something the person who asked should know.
        var notice: String? = nil

        /// The body as JSON; `nil` when it is empty.
        func json() throws(ClientError) -> JSONValue? {
            guard !body.isEmpty else { return nil }
            do {
                return try JSONValue(parsing: body)
            } catch {
                throw ClientError.api(status: status, message: "the API answered something that is not JSON")
            }
        }
    }

    /// `path` (under `/v1.1`) with each of `segments` percent-encoded, e.g.
    /// `path("endpoints", name, "ips")`.
    static func path(_ segments: String...) -> String {
        "/v1.1/" + segments.map(encode).joined(separator: "/")
    }

    /// One path segment, percent-encoded so that names with `/`, `?` or spaces stay one segment.
    /// `.` and `..` are encoded too, or URL handling would resolve them away.
    static func encode(_ segment: String) -> String {
        if segment == "." || segment == ".." { return segment.replacingOccurrences(of: ".", with: "%2E") }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%;")
        return segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
    }

    /// GET `path` and return its JSON body (`null` for an empty one).
    func get(_ path: String, query: [String: String] = [:]) async throws(ClientError) -> JSONValue {
        try await send("GET", path, query: query).json() ?? .null
    }

    /// Sends a request and returns the reply when its status is 2xx.
    ///
    /// - Parameters:
    ///   - body: sent as `application/json` when given.
    /// - Throws: ``ClientError/unreachable(_:)`` when no HTTP answer came, ``ClientError/api(status:message:)``
    ///   for any other status.
    ///   - headers: more request headers (`If-Match`); default none.
    @discardableResult
    func send(
        _ method: String, _ path: String, query: [String: String] = [:], body: JSONValue? = nil,
        headers: [String: String] = [:]
    ) async throws(ClientError) -> Reply {
        var request = try makeRequest(method, path, query: query, body: body)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw ClientError.unreachable("cannot reach the API at \(base): \(Self.reason(error, timeout: timeout))")
        }
        let http = response as? HTTPURLResponse
        let status = http?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw ClientError.api(
                status: status, message: Self.message(status: status, body: data, keyGiven: authKey != nil))
        }
        return Reply(
            status: status, body: data, eTag: http?.value(forHTTPHeaderField: "ETag"),
            notice: http?.value(forHTTPHeaderField: "Reactor-Notice"))
    }

    private func makeRequest(_ method: String, _ path: String, query: [String: String], body: JSONValue?)
        throws(ClientError) -> URLRequest
    {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard var components = URLComponents(string: trimmed + path) else {
            throw ClientError.local("cannot build a URL from '\(trimmed + path)'")
        }
        if !query.isEmpty {
            components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        }
        guard let url = components.url else { throw ClientError.local("cannot build a URL from '\(trimmed + path)'") }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let authKey { request.setValue(authKey, forHTTPHeaderField: "X-Auth-Key") }
        if let body {
            request.httpBody = body.encoded()
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        return request
    }

    /// A one-line message for an error answer: the API's `message`, its per-field validation
    /// errors, or the text it sent, followed by the status.
    static func message(status: Int, body: Data, keyGiven: Bool) -> String {
        if status == 401 {
            return keyGiven
                ? "unauthorized: the key given with --auth-key or REACTOR_AUTH_KEY was refused"
                : "unauthorized: give the admin key with --auth-key or REACTOR_AUTH_KEY"
        }
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        // An answer that is not JSON (a proxy's error page) is shown as text below.
        let json = JSONValue(validJSON: body)
        if let message = json?.objectValue?["message"]?.stringValue {
            return "\(message) (\(status))"
        }
        if status == 400, let sections = json?.objectValue, !sections.isEmpty {
            let errors = ConfigErrors(sections.compactMapValues { $0.objectValue?.compactMapValues(\.stringValue) })
            return "invalid configuration: \(ConfigFile.oneLine(errors)) (\(status))"
        }
        if text.isEmpty {
            return "the API answered \(status) \(HTTPURLResponse.localizedString(forStatusCode: status))"
        }
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        return "\(line.count > 200 ? String(line.prefix(197)) + "..." : line) (\(status))"
    }

    /// Why a request got no answer, in a few words.
    static func reason(_ error: any Error, timeout: Double) -> String {
        guard let error = error as? URLError else { return "\(error)" }
        switch error.code {
        case .cannotConnectToHost: return "connection refused"
        case .timedOut: return "no answer within \(ClientOutput.number(timeout)) s"
        case .cannotFindHost, .dnsLookupFailed: return "unknown host"
        case .networkConnectionLost: return "the connection was closed"
        case .notConnectedToInternet: return "no network"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            return "TLS failed (\(error.localizedDescription))"
        default: return error.localizedDescription
        }
    }
}

/// Why a client command failed, and its exit code.
enum ClientError: Error, Sendable {
    /// The API answered with an error status (exit 1).
    case api(status: Int, message: String)
    /// The API could not be reached at all (exit 3).
    case unreachable(String)
    /// Something on this side: an unreadable file, an invalid configuration (exit 1).
    case local(String)

    /// Exit code 3 when the API cannot be reached: scripts can retry those.
    static let unreachableExitCode: Int32 = 3

    var exitCode: Int32 {
        switch self {
        case .api, .local: 1
        case .unreachable: Self.unreachableExitCode
        }
    }

    var message: String {
        switch self {
        case .api(_, let message), .unreachable(let message), .local(let message): message
        }
    }
}
