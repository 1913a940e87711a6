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
/// (path and query), the presented key headers, `X-Forwarded-For`, and the peer's address.
/// Refusals and errors are never kept. At most `capacity` answers are kept; when full, stale
/// answers are dropped, and when at least half are still fresh, all are (they are cheap to make
/// again, and a stream of requests that all differ must not make each request sweep the memo).
public final class ResponseMemo: Sendable {
    /// The default number of answers kept: 10 000.
    public static let defaultCapacity = 10_000

    /// Everything besides znodes that a reusable route's answer may depend on.
    struct Key: Hashable, Sendable {
        /// The request target as the request line had it (path and query).
        let target: String
        /// Every `X-Auth-Key` value, in order.
        let presentedKeys: [String]
        /// Every `X-Forwarded-For` value, in order.
        let forwardedFor: [String]
        /// The connected peer's IP address.
        let peer: String?

        init(_ request: HTTPRequest, peer: String?) {
            target = request.path ?? ""
            presentedKeys = request.headerFields[values: PresentedKey.header]
            forwardedFor = request.headerFields[values: CallerAddress.forwardedFor]
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

    private let client: ZooKeeperClient
    private let capacity: Int
    private let answers = Mutex<[Key: Answer]>([:])

    /// - Parameters:
    ///   - client: the session whose watches the answers depend on.
    ///   - capacity: the most answers kept; default ``defaultCapacity``.
    public init(client: ZooKeeperClient, capacity: Int = ResponseMemo.defaultCapacity) {
        self.client = client
        self.capacity = max(1, capacity)
    }

    /// The number of answers kept (fresh or stale), for tests and diagnostics.
    public var count: Int { answers.withLock { $0.count } }

    /// The kept answer for `key`, if it still holds.
    func answer(for key: Key) -> Answer? {
        guard let answer = answers.withLock({ $0[key] }), answer.isFresh else { return nil }
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
        answers.withLock { answers in
            if answers[key] == nil && answers.count >= capacity {
                answers = answers.filter { $0.value.isFresh }
                // Mostly fresh: start over rather than sweep again at the next answer, so that
                // requests that all differ cannot make every request pay for a full sweep.
                if answers.count >= capacity / 2 { answers.removeAll(keepingCapacity: true) }
            }
            answers[key] = answer
        }
    }
}
