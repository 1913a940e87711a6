import NIOCore
import NIOPosix

/// A real HTTP/1.1 backend for tests: answers every request with its name as the body (and in an
/// `X-Backend` header), keeping connections alive. `GET /delay/<ms>` answers after that many milliseconds.
final class HTTPTestBackend: Sendable {
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
    static func start(_ name: String, ip: String = "127.0.0.1") async throws -> HTTPTestBackend {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NameResponderHandler(name: name))
                }
            }
            .bind(host: ip, port: 0)
            .get()
        return HTTPTestBackend(name: name, ip: ip, port: channel.localAddress?.port ?? 0, channel: channel)
    }

    /// Stops listening (open connections stay).
    func stop() async {
        try? await channel.close()
    }
}

/// Reads request heads (requests carry no bodies here) and answers each with the backend's name.
private final class NameResponderHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let name: String
    private var pending: [UInt8] = []

    init(name: String) {
        self.name = name
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        while let end = headEnd() {
            let head = String(decoding: pending[..<end], as: UTF8.self)
            pending.removeSubrange(..<(end + 4))
            respond(to: head, context: context)
        }
    }

    private func headEnd() -> Int? {
        guard pending.count >= 4 else { return nil }
        for index in 0...(pending.count - 4)
        where pending[index] == 13 && pending[index + 1] == 10 && pending[index + 2] == 13 && pending[index + 3] == 10 {
            return index
        }
        return nil
    }

    private func respond(to head: String, context: ChannelHandlerContext) {
        let target = head.split(separator: " ").dropFirst().first ?? "/"
        let close = head.lowercased().contains("connection: close")
        let response =
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Backend: \(name)\r\nContent-Length: \(name.utf8.count)\r\n"
            + (close ? "Connection: close\r\n" : "") + "\r\n" + name
        let buffer = context.channel.allocator.buffer(string: response)
        var delay = 0
        if target.hasPrefix("/delay/") { delay = Int(target.dropFirst("/delay/".count)) ?? 0 }
        let channel = context.channel
        if delay > 0 {
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(delay))) { Self.write(buffer, to: channel, close: close) }
        } else {
            Self.write(buffer, to: channel, close: close)
        }
    }

    private static func write(_ buffer: ByteBuffer, to channel: any Channel, close: Bool) {
        channel.writeAndFlush(buffer).whenComplete { _ in
            if close { channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
