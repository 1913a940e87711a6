import NIOCore
import NIOPosix
import Synchronization

/// One HTTP/1.1 request over a fresh connection (`Connection: close`), read to the end, on NIO so that a
/// test hammering a balancer never blocks a cooperative thread.
struct HTTPResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: String
}

struct HTTPTestFailure: Error, CustomStringConvertible {
    var description: String
}

/// `GET http://host:port<path>`, optionally from a given local address (127.0.0.x) to look like another
/// client; fails after `timeout`.
func httpGet(
    port: Int, path: String = "/", host: String = "127.0.0.1", from localIP: String? = nil,
    timeout: Duration = .seconds(5)
) async throws -> HTTPResponse {
    let promise = OncePromise(MultiThreadedEventLoopGroup.singleton.next().makePromise(of: [UInt8].self))
    var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connectTimeout(.seconds(2))
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(CollectHandler(promise: promise))
            }
        }
    if let localIP {
        bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: localIP, port: 0))
    }
    let channel: any Channel
    do {
        channel = try await bootstrap.connect(host: host, port: port).get()
    } catch {
        promise.fail(error)
        throw HTTPTestFailure(description: "connect to \(host):\(port) failed: \(error)")
    }
    let request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n\r\n"
    channel.writeAndFlush(channel.allocator.buffer(string: request), promise: nil)
    let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout / .nanoseconds(1)))) {
        promise.fail(HTTPTestFailure(description: "no complete response within \(timeout)"))
        channel.close(promise: nil)
    }
    defer { timer.cancel() }
    let bytes = try await promise.future.get()
    return try parseResponse(bytes)
}

private func parseResponse(_ bytes: [UInt8]) throws -> HTTPResponse {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let split = text.firstRange(of: "\r\n\r\n") else {
        throw HTTPTestFailure(description: "incomplete response: \(text.debugDescription)")
    }
    let lines = text[..<split.lowerBound].split(separator: "\r\n")
    let statusParts = lines.first?.split(separator: " ") ?? []
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
        throw HTTPTestFailure(description: "bad status line: \(lines.first ?? "")")
    }
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...].drop { $0 == " " })
    }
    return HTTPResponse(status: status, headers: headers, body: String(text[split.upperBound...]))
}

/// Gathers everything the server sends until it closes.
private final class CollectHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let promise: OncePromise
    private var bytes: [UInt8] = []

    init(promise: OncePromise) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        bytes += buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.succeed(bytes)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}

/// A promise completed by whichever comes first: the response, an error, the timeout.
private final class OncePromise: Sendable {
    private let promise: EventLoopPromise<[UInt8]>
    private let done = Atomic<Bool>(false)

    init(_ promise: EventLoopPromise<[UInt8]>) {
        self.promise = promise
    }

    var future: EventLoopFuture<[UInt8]> { promise.futureResult }

    func succeed(_ bytes: [UInt8]) {
        if !done.exchange(true, ordering: .acquiringAndReleasing) { promise.succeed(bytes) }
    }

    func fail(_ error: any Error) {
        if !done.exchange(true, ordering: .acquiringAndReleasing) { promise.fail(error) }
    }
}
