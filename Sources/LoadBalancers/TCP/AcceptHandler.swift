import NIOCore

/// Hands an accepted client connection to the router once it is active, then leaves the pipeline.
///
/// Routing must wait for `channelActive`: the child initializer runs before the channel is registered,
/// and a backend connected to a client that is not active yet would be glued to a channel that cannot
/// carry data.
final class AcceptHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let router: TCPRouter
    private let url: String

    init(router: TCPRouter, url: String) {
        self.router = router
        self.url = url
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        router.accept(context.channel, url: url)
    }
}
