import NIOCore

/// Answers a held connection whose hold time passed with `302 Found` to the service's redirect URL.
///
/// The request is read and discarded so that closing does not reset the connection (a reset can make
/// the client lose the response); the output is half-closed after the response, and the connection is
/// closed when the client closes its side or after a grace period.
final class HoldRedirectHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let location: String
    private let grace: TimeAmount

    /// - Parameters:
    ///   - location: the `Location` of the response.
    ///   - grace: how long the client may take to close after the response; default 2 s.
    init(location: String, grace: TimeAmount = .seconds(2)) {
        self.location = location
        self.grace = grace
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let body = "Redirecting to \(location)\n"
        let head =
            "HTTP/1.1 302 Found\r\nLocation: \(location)\r\nContent-Type: text/plain\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        let buffer = context.channel.allocator.buffer(string: head + body)
        context.writeAndFlush(NIOAny(buffer), promise: nil)
        context.close(mode: .output, promise: nil)
        let channel = context.channel
        context.eventLoop.scheduleTask(in: grace) { channel.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
