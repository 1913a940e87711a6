import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

#if canImport(Glibc)
import Glibc
#endif

/// Gives kept answers (``ResponseMemo``) on the event loop, before a request reaches the router.
///
/// It sits in each connection's pipeline after HTTP decoding. A `GET` whose answer the memo still
/// holds is answered here, in the order requests arrived: a request is answered here only when
/// every earlier request on the connection has been answered, so pipelined requests keep their
/// order. Everything else, and requests asking to close the connection, goes on to the router
/// untouched. Such answers are logged like routed requests, with `http.answer: kept`.
final class MemoAnswerHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let memo: ResponseMemo
    private let logger: Logger
    private var peer: String?
    /// Requests passed to the router whose answer has not been written to the end yet.
    private var routedOutstanding = 0
    private var current: Current = .idle
    private var needsFlush = false
    private var date = HTTPDate()

    private enum Current {
        case idle
        /// The request being read goes to the router.
        case routed
        /// The request being read gets this kept answer once it has been read whole.
        case kept(ResponseMemo.Answer, path: String, started: ContinuousClock.Instant)
    }

    init(memo: ResponseMemo, logger: Logger) {
        self.memo = memo
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        peer = context.channel.remoteAddress?.ipAddress
    }

    func channelActive(context: ChannelHandlerContext) {
        peer = context.channel.remoteAddress?.ipAddress
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            if routedOutstanding == 0, request.method == .get, !asksToClose(request),
                let answer = memo.answer(for: ResponseMemo.Key(request, peer: peer))
            {
                current = .kept(answer, path: request.path ?? "", started: .now)
            } else {
                current = .routed
                routedOutstanding += 1
                context.fireChannelRead(data)
            }
        case .body:
            if case .routed = current { context.fireChannelRead(data) }
        case .end:
            switch current {
            case .kept(let answer, let path, let started):
                write(answer, context: context)
                log(path: path, status: answer.head.status, started: started)
            case .routed, .idle:
                context.fireChannelRead(data)
            }
            current = .idle
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { routedOutstanding = max(0, routedOutstanding - 1) }
        context.write(data, promise: promise)
    }

    private func asksToClose(_ request: HTTPRequest) -> Bool {
        request.headerFields[values: .connection].contains { $0.lowercased().contains("close") }
    }

    private func write(_ answer: ResponseMemo.Answer, context: ChannelHandlerContext) {
        var head = answer.head
        head.headerFields[.date] = date.now()
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(answer.body)), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: nil)
        needsFlush = true
    }

    private func log(path: String, status: HTTPResponse.Status, started: ContinuousClock.Instant) {
        guard logger.logLevel <= .info else { return }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.info(
            "request",
            metadata: [
                "http.method": "GET",
                "http.path": "\(path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path)",
                "http.status": "\(status.code)",
                "http.duration_ms": "\((milliseconds * 1000).rounded() / 1000)",
                "http.peer": "\(peer ?? "-")",
                "http.answer": "kept",
            ])
    }
}

/// The `Date` header's value (RFC 9110 IMF-fixdate), formatted at most once a second.
struct HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private var second: time_t = -1
    private var text = ""

    mutating func now() -> String {
        let current = time(nil)
        if current != second {
            second = current
            text = Self.format(current)
        }
        return text
    }

    /// `seconds` since the epoch as `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func format(_ seconds: time_t) -> String {
        var parts = tm()
        var seconds = seconds
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let day =
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(1900 + parts.tm_year)"
        return day + " \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
