import NIOCore
import NIOPosix

/// A real TCP backend for tests: greets each connection with its name and a newline, then echoes.
typealias TestBackend = TestServer<GreetingEchoHandler>

/// What a ``TestServer`` says on each of its connections, knowing the server's name.
protocol TestResponder: ChannelInboundHandler, SendableMetatype {
    init(name: String)
    /// Whether the server's connections see a client's end of input as an event (and may still
    /// answer) rather than closing at once; default `false`.
    static var allowsHalfClosure: Bool { get }
}

extension TestResponder {
    static var allowsHalfClosure: Bool { false }
}

/// A backend server for tests on a free port of `ip`, each connection served by a new `Responder`.
final class TestServer<Responder: TestResponder>: Sendable {
    let name: String
    let ip: String
    let port: Int
    private let channel: any Channel

    private init(name: String, ip: String, port: Int, channel: any Channel) {
        self.name = name
        self.ip = ip
        self.port = port
        self.channel = channel
    }

    /// `ip:port`.
    var address: String { "\(ip):\(port)" }

    /// Starts a backend on a free port of `ip`.
    static func start(_ name: String, ip: String = "127.0.0.1") async throws -> TestServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: Responder.allowsHalfClosure)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Responder(name: name))
                }
            }
            .bind(host: ip, port: 0)
            .get()
        return TestServer(name: name, ip: ip, port: channel.localAddress?.port ?? 0, channel: channel)
    }

    /// Stops listening (open connections stay).
    func stop() async {
        try? await channel.close()
    }
}

class GreetingEchoHandler: TestResponder {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    class var allowsHalfClosure: Bool { false }
    let name: String

    required init(name: String) {
        self.name = name
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: name + "\n")), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// Greets, echoes, and at the client's end of input answers `end` and closes.
final class EchoUntilEndHandler: GreetingEchoHandler {
    override class var allowsHalfClosure: Bool { true }

    override func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let event = event as? ChannelEvent, case .inputClosed = event else { return }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(string: "end\n"))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}

/// Greets and closes.
final class GreetAndCloseHandler: TestResponder {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let name: String

    init(name: String) {
        self.name = name
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(string: name + "\n"))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
