import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ReactorAPI
import ReactorCore
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

/// What a test gets: an HTTP client to the API under test and a second ZooKeeper session on the
/// same namespace to arrange state and inspect the znodes.
struct APIHarness: Sendable {
    let client: any TestClientProtocol
    let store: ReactorStore
    var zk: ZooKeeperClient { store.client }

    /// Sends a request and returns the response with its body as text.
    @discardableResult
    func request(
        _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, headers: HTTPFields = [:]
    ) async throws -> Reply {
        let response = try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    /// Sends a request as if from `ip` (through a trusted `X-Forwarded-For`: the test client is on
    /// loopback).
    @discardableResult
    func request(
        _ method: HTTPRequest.Method, _ uri: String, from ip: String, body: String? = nil, headers: HTTPFields = [:]
    ) async throws -> Reply {
        var fields = headers
        fields[HTTPField.Name("X-Forwarded-For")!] = ip
        return try await request(method, uri, body: body, headers: fields)
    }

    /// Every znode under the namespace with its data, for before/after comparisons.
    func snapshot() async throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        var pending = ["/"]
        while let path = pending.popLast() {
            if path != "/" { result[path] = try await zk.get(path).bytes }
            for child in try await zk.children(path) {
                pending.append(path == "/" ? "/\(child)" : "\(path)/\(child)")
            }
        }
        return result
    }

    /// Creates an endpoint and confirms `ips` for it, the way a manager would.
    @discardableResult
    func makeEndpoint(_ name: String, config: String = "{}", confirming ips: [String] = []) async throws -> String {
        let reply = try await request(.post, "/v1.1/endpoints/\(name)", body: config)
        #expect(reply.status == .ok, "creating \(name): \(reply.text)")
        let id = try await store.endpointID(named: name)
        for ip in ips { try await store.confirmIP(ip, id: id, name: name) }
        return id
    }
}

/// A response: status, headers and the body as text (and JSON, when it is).
struct Reply: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String

    /// The body parsed as JSON; `nil` when it is not.
    var json: JSONValue? { try? JSONValue(parsing: text) }

    /// The `message` of a JSON error body.
    var message: String? { json?.objectValue?["message"]?.stringValue }
}

/// Builds the application exactly as `reactor api` does, on a fresh namespace, runs it live and
/// hands `body` a harness.
func withAPI(_ name: String = #function, _ body: @Sendable (APIHarness) async throws -> Void) async throws {
    let namespace = try await SharedZooKeeper.instance.namespace(String(name.prefix(while: { $0 != "(" })))
    var logger = Logger(label: "reactor.api.test")
    logger.logLevel = .warning
    let app = try await buildApplication(
        APIConfiguration(zookeeper: namespace, host: "127.0.0.1", port: 0, connectTimeout: .seconds(30), logger: logger)
    )
    let zk = try await ZooKeeperClient.connect(.init(connectString: namespace, connectTimeout: .seconds(30)))
    let store = ReactorStore(client: zk)
    do {
        try await app.test(.live) { client in
            try await body(APIHarness(client: client, store: store))
        }
    } catch {
        await zk.close()
        throw error
    }
    await zk.close()
}

/// JSON of a string list, for comparisons.
func strings(_ values: String...) -> JSONValue {
    .array(values.map(JSONValue.string))
}

extension HTTPFields {
    /// `X-Auth-Key: key`
    static func authKey(_ key: String) -> HTTPFields {
        [HTTPField.Name("X-Auth-Key")!: key]
    }
}
