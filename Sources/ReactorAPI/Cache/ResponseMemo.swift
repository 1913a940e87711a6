import HTTPTypes
import NIOCore
import ReactorStore
import Synchronization
import ZooKeeper

/// Whole answers of read routes, kept for as long as the znodes they were made from stay as they
/// were, and given again without running the route (``MemoAnswerHandler``).
///
/// A route opts in (``APIRoutes/addReusable(_:_:)``): it runs under a ``NodeReadLog``, and its
/// `200` answer is kept only when every read it made came from the ``WatchedNodeCache`` under a
/// watch. The answer holds while none of those watches has fired, so it is exactly as current as
/// the read cache itself: a write through this process has fired the watch before the write is
/// answered, and a write through another process fires it when ZooKeeper's notification arrives
/// (see ``WatchedNodeCache``). While the session is not connected, nothing is answered from here.
///
/// What may change an answer besides the znodes is in its ``Key``: the request target as sent
/// (path and query), the presented key headers, `X-Forwarded-For`, cookies, and the peer's address.
/// Refusals and errors are never kept. At most `capacity` answers, of at most `byteCapacity`
/// bytes in all, are kept (an answer larger than an eighth of that is not kept at all); when
/// full, stale answers are dropped, and when at least half are still fresh, all are (they are
/// cheap to make again, and a stream of requests that all differ must not make each request
/// sweep the memo).
public final class ResponseMemo: Sendable {
    /// The default number of answers kept: 10 000.
    public static let defaultCapacity = 10_000
    /// The default bound of the bytes kept (bodies and keys): 64 MiB.
    public static let defaultByteCapacity = 64 << 20

    /// Everything besides znodes that a reusable route's answer may depend on.
    struct Key: Hashable, Sendable {
        /// The request target as the request line had it (path and query).
        let target: String
        /// Every `X-Auth-Key` value, in order.
        let presentedKeys: [String]
        /// Every `X-Forwarded-For` value, in order.
        let forwardedFor: [String]
        /// Every `Cookie` value, in order: the dashboard's sign-in cookie authorizes like a key.
        let cookies: [String]
        /// The connected peer's IP address.
        let peer: String?

        init(_ request: HTTPRequest, peer: String?) {
            target = request.path ?? ""
            presentedKeys = request.headerFields[values: PresentedKey.header]
            forwardedFor = request.headerFields[values: CallerAddress.forwardedFor]
            cookies = request.headerFields[values: .cookie]
            self.peer = peer
        }
    }

    /// A kept answer: its head without `Date`, its body, and the watches it depends on.
    struct Answer: Sendable {
        let head: HTTPResponse
        let body: ByteBuffer
        let watches: [Watch]

        var isFresh: Bool { watches.allSatisfy { !$0.hasFired } }
    }

    /// The answers and the bytes they take.
    private struct Kept {
        var answers: [Key: Answer] = [:]
        var bytes = 0
    }

    private let client: ZooKeeperClient
    private let capacity: Int
    private let byteCapacity: Int
    private let kept = Mutex(Kept())

    /// - Parameters:
    ///   - client: the session whose watches the answers depend on.
    ///   - capacity: the most answers kept; default ``defaultCapacity``.
    ///   - byteCapacity: the most bytes kept (bodies, headers and keys); default ``defaultByteCapacity``.
    public init(
        client: ZooKeeperClient, capacity: Int = ResponseMemo.defaultCapacity,
        byteCapacity: Int = ResponseMemo.defaultByteCapacity
    ) {
        self.client = client
        self.capacity = max(1, capacity)
        self.byteCapacity = max(1024, byteCapacity)
    }

    /// The number of answers kept (fresh or stale), for tests and diagnostics.
    public var count: Int { kept.withLock { $0.answers.count } }

    /// The bytes the kept answers take, for tests and diagnostics.
    public var bytes: Int { kept.withLock { $0.bytes } }

    /// What keeping `answer` under `key` costs, in bytes.
    private static func size(of answer: Answer, key: Key) -> Int {
        let fields = answer.head.headerFields.reduce(0) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count }
        let keyBytes =
            key.target.utf8.count
            + (key.presentedKeys + key.forwardedFor + key.cookies).reduce(0) { $0 + $1.utf8.count }
        return answer.body.readableBytes + fields + keyBytes + (key.peer?.utf8.count ?? 0) + 64
    }

    /// The kept answer for `key`, if it still holds.
    func answer(for key: Key) -> Answer? {
        guard let answer = kept.withLock({ $0.answers[key] }), answer.isFresh else { return nil }
        switch client.state {
        case .connected, .reconnected: return answer
        default: return nil
        }
    }

    /// Keeps a `200` answer made under `log`, when all its reads were covered by watches.
    func keep(_ head: HTTPResponse, body: ByteBuffer, for key: Key, log: NodeReadLog) {
        guard head.status == .ok, let watches = log.watches else { return }
        let answer = Answer(head: head, body: body, watches: watches)
        guard answer.isFresh else { return }
        let size = Self.size(of: answer, key: key)
        guard size <= byteCapacity / 8 else { return }
        kept.withLock { kept in
            if let old = kept.answers[key] { kept.bytes -= Self.size(of: old, key: key) }
            if (kept.answers[key] == nil && kept.answers.count >= capacity) || kept.bytes + size > byteCapacity {
                kept.answers = kept.answers.filter { $0.value.isFresh }
                kept.bytes = kept.answers.reduce(0) { $0 + Self.size(of: $1.value, key: $1.key) }
                // Mostly fresh: start over rather than sweep again at the next answer, so that
                // requests that all differ cannot make every request pay for a full sweep.
                if kept.answers.count >= capacity / 2 || kept.bytes + size > byteCapacity / 2 {
                    kept.answers.removeAll(keepingCapacity: true)
                    kept.bytes = 0
                }
            }
            kept.answers[key] = answer
            kept.bytes += size
        }
    }
}
