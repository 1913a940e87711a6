import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import ReactorCore
import ReactorStore
import Synchronization
import Testing
import ZooKeeper
import ZooKeeperTesting

@testable import ReactorAPI

/// Answers kept whole while their znodes stay as they were (`GET .../state`), and given again
/// before the router: they are the answers the route gives, they follow every change, they keep
/// pipelined requests in order, and they are never given to a caller they were not made for.
@Suite struct KeptAnswersTests {
    @Test func aKeptAnswerIsTheAnswerTheRouteGives() async throws {
        try await withLoggedAPI { api, log in
            try await api.makeEndpoint("web")
            let routed = try await api.request(.get, "/v1.1/endpoints/web/state")
            let kept = try await api.request(.get, "/v1.1/endpoints/web/state")
            #expect(log.requests(answeredFromMemo: false, path: "/v1.1/endpoints/web/state") == 1)
            #expect(log.requests(answeredFromMemo: true, path: "/v1.1/endpoints/web/state") == 1)
            #expect(kept.status == routed.status)
            #expect(kept.text == routed.text)
            #expect(kept.json == ["state": "PAUSED", "active": [], "manager": .null])
            for field in [HTTPField.Name.contentType, .contentLength, .server] {
                #expect(kept.headers[field] != nil && kept.headers[field] == routed.headers[field], "\(field)")
            }
            #expect(kept.headers[.date]?.hasSuffix(" GMT") == true)
        }
    }

    @Test func keptAnswersFollowWritesHereAndChangesElsewhere() async throws {
        try await withLoggedAPI { api, log in
            let id = try await api.makeEndpoint("web")
            let path = "/v1.1/endpoints/web/state"
            for _ in 0..<3 { try await api.request(.get, path) }
            #expect(try await api.request(.post, path, body: #"{"action":"start"}"#).status == .ok)
            let state = try await api.request(.get, path).json?.objectValue?["state"]
            #expect(state == "RUNNING", "own write read back at once")

            // A manager, another API node or an operator writes in ZooKeeper: the next answers follow.
            try await api.zk.create(ZNodeLayout.endpoint(id, EndpointNode.manager), data: Array("m-1".utf8))
            try await expectPromptly("manager created elsewhere") {
                try await api.request(.get, path).json?.objectValue?["manager"] == "m-1"
            }
            try await api.zk.set(ZNodeLayout.endpoint(id, EndpointNode.state), data: Array("STOPPED".utf8))
            try await expectPromptly("state changed elsewhere") {
                try await api.request(.get, path).json?.objectValue?["state"] == "STOPPED"
            }
            try await api.zk.delete(ZNodeLayout.endpointName("web"))
            try await expectPromptly("name deleted elsewhere") { try await api.request(.get, path).status == .notFound }
            #expect(log.requests(answeredFromMemo: true, path: path) >= 2, "repeated reads were answered from the memo")
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withLoggedAPI { api, log in
            try await api.makeEndpoint("web", config: #"{"endpoint":{"url":"http://web.example"}}"#)
            let port = try #require(api.client.port)
            let state = "/v1.1/endpoints/web/state"
            try await api.request(.get, state)  // kept from now on
            let requests = [
                "GET \(state) HTTP/1.1\r\nHost: t\r\n\r\n",
                "POST \(state) HTTP/1.1\r\nHost: t\r\nContent-Length: 18\r\n\r\n{\"action\":\"start\"}",
                "GET \(state) HTTP/1.1\r\nHost: t\r\n\r\n",
                "GET /v1.1/endpoints/web HTTP/1.1\r\nHost: t\r\n\r\n",
                "GET \(state) HTTP/1.1\r\nHost: t\r\n\r\n",
                "GET \(state) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
            ]
            let started = ContinuousClock.now
            let reply = try #require(await LoopbackPorts.exchange(port: port, command: requests.joined(), timeout: 10))
            #expect(ContinuousClock.now - started < .seconds(5), "Connection: close is honoured")
            let answers = reply.components(separatedBy: "HTTP/1.1 ").dropFirst().map { answer in
                (status: String(answer.prefix(3)), body: answer.components(separatedBy: "\r\n\r\n").last ?? "")
            }
            try #require(answers.count == requests.count, "every request answered:\n\(reply)")
            #expect(answers.map(\.status) == ["200", "200", "200", "200", "200", "200"])
            #expect(answers[0].body.contains("PAUSED"), "the kept answer, before the write")
            #expect(answers[1].body.isEmpty)
            #expect(answers[2].body.contains("RUNNING"), "after the write")
            #expect(answers[3].body.contains("web.example"))
            #expect(answers[4].body.contains("RUNNING") && answers[5].body.contains("RUNNING"))
            #expect(log.requests(answeredFromMemo: true, path: state) >= 1)
        }
    }

    @Test func http10ConnectionsCloseAfterTheirAnswerUnlessKeptAlive() async throws {
        try await withLoggedAPI { api, _ in
            try await api.makeEndpoint("web")
            let port = try #require(api.client.port)
            try await api.request(.get, "/v1.1/endpoints/web/state")  // kept from now on
            for path in ["/v1.1/endpoints/web/state", "/v1.1/endpoints"] {
                let started = ContinuousClock.now
                let reply = try #require(
                    await LoopbackPorts.exchange(
                        port: port, command: "GET \(path) HTTP/1.0\r\nHost: t\r\n\r\n", timeout: 10))
                #expect(reply.hasPrefix("HTTP/1.1 200 OK"), "\(path): \(reply)")
                #expect(
                    ContinuousClock.now - started < .seconds(5), "\(path): the connection is closed after the answer")
            }
            // HTTP/1.0 with keep-alive: both answers on one connection, which stays open until the
            // last request asks to close it.
            let requests =
                "GET /v1.1/endpoints/web/state HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                + "GET /v1.1/endpoints/web/state HTTP/1.0\r\n\r\n"
            let reply = try #require(await LoopbackPorts.exchange(port: port, command: requests, timeout: 10))
            #expect(reply.components(separatedBy: "HTTP/1.1 200 OK").count == 3, "two answers: \(reply)")
        }
    }

    @Test func keptAnswersGoOnlyToCallersTheyWereMadeFor() async throws {
        try await withLoggedAPI { api, log in
            try await api.makeEndpoint("a", confirming: ["10.0.0.1"])
            try await api.makeEndpoint("b", confirming: ["10.0.0.2"])
            try await api.request(.post, "/v1.1/endpoints/b/state", body: #"{"action":"start"}"#)
            // Implicit routes: each caller its own endpoint, every time.
            let implicit = "/v1.1/endpoint/state"
            for _ in 0..<3 {
                #expect(try await api.request(.get, implicit, from: "10.0.0.1").json?.objectValue?["state"] == "PAUSED")
                #expect(
                    try await api.request(.get, implicit, from: "10.0.0.2").json?.objectValue?["state"] == "RUNNING")
                #expect(try await api.request(.get, implicit, from: "10.0.0.3").status == .notFound)
            }
            // Keys: only the right one, in the header or the query, every time.
            try await api.request(.post, "/v1.1/auth_key", body: #"{"auth_key":"k"}"#)
            let path = "/v1.1/endpoints/a/state"
            for _ in 0..<3 {
                #expect(try await api.request(.get, path, headers: .authKey("k")).status == .ok)
                #expect(try await api.request(.get, path, headers: .authKey("wrong")).status == .unauthorized)
                #expect(try await api.request(.get, path).status == .unauthorized)
                #expect(try await api.request(.get, path + "?auth_key=k").status == .ok)
                #expect(try await api.request(.get, path + "?auth_key=wrong").status == .unauthorized)
            }
            #expect(log.requests(answeredFromMemo: true, path: path) >= 4)
            // The key changed: answers kept under the old one no longer hold.
            try await api.request(.post, "/v1.1/auth_key", body: #"{"auth_key":"new"}"#, headers: .authKey("k"))
            #expect(try await api.request(.get, path, headers: .authKey("k")).status == .unauthorized)
            #expect(try await api.request(.get, path + "?auth_key=k").status == .unauthorized)
            #expect(try await api.request(.get, path, headers: .authKey("new")).status == .ok)
        }
    }

    @Test func theMemoKeepsOnlyWatchedAnswersAndNoMoreThanItsCapacity() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("responseMemo")
        let zk = try await ZooKeeperClient.connect(.init(connectString: namespace, connectTimeout: .seconds(30)))
        defer { Task { await zk.close() } }
        let cache = WatchedNodeCache(client: zk)
        let memo = ResponseMemo(client: zk, capacity: 4)
        try await zk.create("/n", data: Array("1".utf8))
        let head = HTTPResponse(status: .ok)
        func key(_ target: String) -> ResponseMemo.Key {
            .init(HTTPRequest(method: .get, scheme: nil, authority: nil, path: target), peer: nil)
        }
        func keep(
            _ target: String, status: HTTPResponse.Status = .ok, read: @Sendable () async throws -> Void
        ) async throws {
            let log = NodeReadLog()
            try await log.record { try await read() }
            memo.keep(HTTPResponse(status: status), body: ByteBuffer(string: target), for: key(target), log: log)
        }
        let watched: @Sendable () async throws -> Void = {
            _ = try await cache.value(at: "/n", keepAbsence: true, decode: { $0 })
        }

        try await keep("/nothing-read") {}
        try await keep("/refused", status: .unauthorized, read: watched)
        try await keep("/unwatched") { _ = try await cache.value(at: "/missing", keepAbsence: false, decode: { $0 }) }
        #expect(memo.count == 0, "answers that read nothing, were refused, or read a node no watch covers are not kept")

        for index in 0..<4 { try await keep("/\(index)", read: watched) }
        #expect(memo.count == 4)
        #expect(memo.answer(for: key("/0"))?.body == ByteBuffer(string: "/0"))
        #expect(memo.answer(for: key("/0"))?.head.status == head.status)
        try await keep("/4", read: watched)
        #expect(memo.count == 1, "full and all fresh: started over")
        #expect(memo.answer(for: key("/4")) != nil)

        try await zk.set("/n", data: Array("2".utf8))
        #expect(memo.answer(for: key("/4")) == nil, "a change of a node read ends the answer")
        try await keep("/5", read: watched)
        #expect(memo.answer(for: key("/5")) != nil, "made again under the new watch")
    }

    /// Polls `condition` for up to two seconds.
    private func expectPromptly(
        _ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async throws -> Bool
    ) async throws {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(2) {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("\(what): not seen through the API", sourceLocation: sourceLocation)
    }
}

/// The API as `reactor api` builds it, logging requests into `RequestLog`.
private func withLoggedAPI(
    _ name: String = #function, _ body: @Sendable (APIHarness, RequestLog) async throws -> Void
) async throws {
    let namespace = try await SharedZooKeeper.instance.namespace(String(name.prefix(while: { $0 != "(" })))
    let log = RequestLog()
    var logger = Logger(label: "reactor.api.test") { _ in RequestLog.Handler(log: log) }
    logger.logLevel = .info
    let app = try await buildApplication(
        APIConfiguration(
            zookeeper: namespace, host: "127.0.0.1", port: 0, connectTimeout: .seconds(30), logger: logger))
    let zk = try await ZooKeeperClient.connect(.init(connectString: namespace, connectTimeout: .seconds(30)))
    do {
        try await app.test(.live) { client in
            try await body(APIHarness(client: client, store: ReactorStore(client: zk)), log)
        }
    } catch {
        await zk.close()
        throw error
    }
    await zk.close()
}

/// The request lines the API logged.
final class RequestLog: Sendable {
    private let lines = Mutex<[Logger.Metadata]>([])

    /// How many requests for `path` were logged, answered from the memo or by the router.
    func requests(answeredFromMemo: Bool, path: String) -> Int {
        lines.withLock { lines in
            lines.filter { line in
                line["http.path"] == .string(path) && (line["http.answer"] == .string("kept")) == answeredFromMemo
            }.count
        }
    }

    struct Handler: LogHandler {
        let log: RequestLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            guard event.message.description == "request", let metadata = event.metadata else { return }
            log.lines.withLock { $0.append(metadata) }
        }
    }
}
