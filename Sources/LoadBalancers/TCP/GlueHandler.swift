import NIOCore

/// One half of the pair that joins a client channel to its backend channel (the connect-proxy pattern).
///
/// ```
///     client socket                                      backend socket
///         |  ^                                               |  ^
///         v  |                                               v  |
///  +--------------------+  channelRead -> partnerWrite  +--------------------+
///  | GlueHandler        | ----------------------------> | GlueHandler        |
///  | (client pipeline)  | <---------------------------- | (backend pipeline) |
///  +--------------------+  partnerWrite <- channelRead  +--------------------+
///
///  backpressure: read() goes to the socket only while the PARTNER channel is
///  writable; otherwise it is parked (pendingRead) until the partner fires
///  channelWritabilityChanged -> partnerBecameWritable -> context.read().
///  EOF (inputClosed) on one side half-closes the other's output;
///  channelInactive or an error on one side closes both.
/// ```
///
/// The backend's handler is added when its channel is created, the client's once it is connected.
/// Both channels must live on the same event loop: each handler calls into its partner directly.
/// Bytes read on either side are added to the backend's ``BackendCounters``.
final class GlueHandler {
    private var partner: GlueHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false
    private let counters: BackendCounters

    /// A handler with no partner yet: it reads nothing until ``join(_:_:)`` gives it one, so it can sit in
    /// the backend pipeline from the start and no byte the backend sends early is lost.
    init(counters: BackendCounters) {
        self.counters = counters
    }

    /// Points two handlers at each other and lets both start reading; call on their event loop.
    static func join(_ client: GlueHandler, _ backend: GlueHandler) {
        client.partner = backend
        backend.partner = client
        client.partnerBecameWritable()
        backend.partnerBecameWritable()
    }

    private func partnerWrite(_ data: NIOAny) {
        context?.write(data, promise: nil)
    }

    private func partnerFlush() {
        context?.flush()
    }

    private func partnerWriteEOF() {
        context?.close(mode: .output, promise: nil)
    }

    private func partnerCloseFull() {
        context?.close(promise: nil)
    }

    private func partnerBecameWritable() {
        if pendingRead {
            pendingRead = false
            context?.read()
        }
    }

    private var partnerWritable: Bool {
        context?.channel.isWritable ?? false
    }
}

extension GlueHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        counters.bytes.wrappingAdd(unwrapInboundIn(data).readableBytes, ordering: .relaxed)
        partner?.partnerWrite(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.partnerFlush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.partnerCloseFull()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            partner?.partnerWriteEOF()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        partner?.partnerCloseFull()
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            partner?.partnerBecameWritable()
        }
    }

    func read(context: ChannelHandlerContext) {
        if partner?.partnerWritable ?? false {
            context.read()
        } else {
            pendingRead = true
        }
    }
}
