import HTTPTypes
import NIOCore
import Testing
import ZooKeeper
import ZooKeeperTesting

@testable import ReactorAPI
@testable import ReactorStore

/// Kept answers are bounded in bytes, not only in number (issue 11, point 6).
@Suite struct KeptAnswerBytesTests {
    @Test func theMemoKeepsNoMoreBytesThanItsBoundAndNoOversizedAnswer() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("responseMemoBytes")
        let zk = try await ZooKeeperClient.connect(.init(connectString: namespace, connectTimeout: .seconds(30)))
        defer { Task { await zk.close() } }
        let cache = WatchedNodeCache(client: zk)
        let bound = 64 * 1024
        let memo = ResponseMemo(client: zk, capacity: 10_000, byteCapacity: bound)
        try await zk.create("/n", data: Array("1".utf8))
        func keep(_ target: String, bytes: Int) async throws {
            let log = NodeReadLog()
            try await log.record { _ = try await cache.value(at: "/n", keepAbsence: true, decode: { $0 }) }
            let key = ResponseMemo.Key(HTTPRequest(method: .get, scheme: nil, authority: nil, path: target), peer: nil)
            memo.keep(
                HTTPResponse(status: .ok), body: ByteBuffer(repeating: 0x61, count: bytes), for: key, log: log)
        }
        try await keep("/huge", bytes: bound)
        #expect(memo.count == 0, "an answer over an eighth of the bound is not kept")
        for index in 0..<200 {
            try await keep("/\(index)", bytes: 4096)
            #expect(memo.bytes <= bound, "after \(index + 1) answers: \(memo.bytes) bytes kept, bound \(bound)")
        }
        #expect(memo.count > 0 && memo.count < 200, "some are kept, not all: \(memo.count)")
    }
}
