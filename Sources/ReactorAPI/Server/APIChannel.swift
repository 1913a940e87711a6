import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 channel with what the API adds to each connection's pipeline:
///
/// ```
///  socket ─ HTTP/1 decoder/encoder ─ HTTP10CloseHandler ─ HTTP1ToHTTPServerCodec
///         ─ MemoAnswerHandler (kept answers) ─ … ─ Hummingbird's router
/// ```
///
/// `HTTP10CloseHandler` sits where the HTTP version is still known: Hummingbird's request type
/// does not carry it, and closes a connection only on `Connection: close`.
struct APIChannel: HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel

    /// - Parameters:
    ///   - responder: Hummingbird's responder (the router).
    ///   - memo: where kept answers come from; `nil` for none.
    ///   - logger: logs requests answered from the memo.
    ///   - idleTimeout: how long a connection may stay idle before it is closed; `nil` for ever.
    init(responder: @escaping Responder, memo: ResponseMemo?, logger: Logger, idleTimeout: Duration?) {
        http1 = HTTP1Channel(
            responder: responder,
            configuration: .init(
                additionalChannelHandlers: memo.map { [MemoAnswerHandler(memo: $0, logger: logger)] } ?? [],
                idleTimeout: idleTimeout.map { TimeAmount($0) }))
    }

    var responder: Responder { http1.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let codec = try operations.handler(type: HTTP1ToHTTPServerCodec.self)
            try operations.addHandler(HTTP10CloseHandler(), position: .before(codec))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// The API's HTTP/1 server (see ``APIChannel``).
    ///
    /// - Parameter idleTimeout: how long a connection may stay idle before it is closed; default
    ///   60 s, `nil` for ever.
    static func api(memo: ResponseMemo?, logger: Logger, idleTimeout: Duration? = .seconds(60)) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            APIChannel(responder: responder, memo: memo, logger: logger, idleTimeout: idleTimeout)
        }
    }
}

/// Marks a request that does not keep its connection alive (HTTP/1.0 without `keep-alive`) with
/// `Connection: close`, which is what Hummingbird and ``MemoAnswerHandler`` act on.
final class HTTP10CloseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data), !head.isKeepAlive,
            !head.headers["connection"].contains(where: { $0.lowercased().contains("close") })
        else {
            context.fireChannelRead(data)
            return
        }
        head.headers.replaceOrAdd(name: "connection", value: "close")
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}
