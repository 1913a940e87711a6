import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP/1.1 exchange over a unix domain socket: a fresh connection per request, closed after
/// the answer (the engine's API is local and cheap to connect to; no pool to go stale).
struct UnixSocketHTTP: Sendable {
    /// The answer: status code and whole body.
    struct Answer: Sendable {
        var status: Int
        var body: [UInt8]
    }

    let socketPath: String
    let group: any EventLoopGroup

    /// Sends one request and reads the whole answer.
    ///
    /// - Parameters:
    ///   - timeout: from connecting to the last byte of the answer; the request fails with
    ///     ``DockerEngineError/timedOut(_:after:)`` past it.
    ///   - maximumBody: an answer longer than this fails (the engine's JSON is small; a runaway
    ///     log or list is not read into memory).
    func send(
        method: HTTPMethod, path: String, body: [UInt8]? = nil, timeout: Duration, maximumBody: Int = 16 << 20
    ) async throws -> Answer {
        let operation = "\(method) \(path)"
        let promise = group.next().makePromise(of: Answer.self)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.nanoseconds(timeout.nanoseconds))
            .channelInitializer { channel in
                // On the channel's event loop: the handlers are added synchronously.
                do {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        AnswerHandler(promise: promise, maximumBody: maximumBody))
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(unixDomainSocketPath: socketPath).get()
        } catch {
            promise.fail(error)
            throw DockerEngineError.unreachable(socket: socketPath, reason: "\(error)")
        }
        let deadline = channel.eventLoop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
            promise.fail(DockerEngineError.timedOut(operation, after: timeout))
            channel.close(promise: nil)
        }
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: "docker")
        head.headers.add(name: "Connection", value: "close")
        if let body {
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(body.count))
        } else if method == .POST {
            head.headers.add(name: "Content-Length", value: "0")
        }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let body {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
        }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        do {
            let answer = try await promise.futureResult.get()
            deadline.cancel()
            channel.close(promise: nil)
            return answer
        } catch {
            deadline.cancel()
            channel.close(promise: nil)
            if let error = error as? DockerEngineError { throw error }
            throw DockerEngineError.unreachable(socket: socketPath, reason: "\(operation): \(error)")
        }
    }
}

/// Collects one response and fulfils the exchange's promise (event-loop confined).
private final class AnswerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    let promise: EventLoopPromise<UnixSocketHTTP.Answer>
    let maximumBody: Int
    var status = 0
    var body: [UInt8] = []
    var done = false

    init(promise: EventLoopPromise<UnixSocketHTTP.Answer>, maximumBody: Int) {
        self.promise = promise
        self.maximumBody = maximumBody
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
        case .body(var buffer):
            guard body.count + buffer.readableBytes <= maximumBody else {
                finish(.failure(DockerEngineError.answerTooLarge(limit: maximumBody)), context: context)
                return
            }
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            finish(.success(UnixSocketHTTP.Answer(status: status, body: body)), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(DockerEngineError.connectionClosed), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error), context: context)
    }

    private func finish(_ result: Result<UnixSocketHTTP.Answer, any Error>, context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        promise.completeWith(result)
        context.close(promise: nil)
    }
}

extension Duration {
    /// The duration in whole nanoseconds, for NIO's time amounts.
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
