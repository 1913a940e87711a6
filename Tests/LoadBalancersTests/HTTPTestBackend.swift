import NIOCore

/// A real HTTP/1.1 backend for tests: answers every request with its name as the body (and in an
/// `X-Backend` header), keeping connections alive. `GET /delay/<ms>` answers after that many milliseconds.
typealias HTTPTestBackend = TestServer<NameResponderHandler>

/// Reads request heads (requests carry no bodies here) and answers each with the backend's name.
final class NameResponderHandler: TestResponder {
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
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(delay))) {
                Self.write(buffer, to: channel, close: close)
            }
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
