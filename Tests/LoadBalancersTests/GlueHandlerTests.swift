import NIOCore
import NIOEmbedded
import Testing

@testable import LoadBalancers

/// The glue pair on embedded channels: forwarding, byte counting, backpressure and close.
@Suite struct GlueHandlerTests {
    /// Counts the reads that get past the glue handler towards the socket.
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = ByteBuffer
        var reads = 0

        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    struct Pair {
        let client = EmbeddedChannel(loop: EmbeddedEventLoop())
        let backend: EmbeddedChannel
        let clientReads = ReadCounter()
        let counters = BackendCounters()

        init() async throws {
            backend = EmbeddedChannel(loop: client.embeddedEventLoop)
            let address = try SocketAddress(ipAddress: "127.0.0.1", port: 1)
            try await client.connect(to: address).get()
            try await backend.connect(to: address).get()
            let clientGlue = GlueHandler(counters: counters)
            let backendGlue = GlueHandler(counters: counters)
            try client.pipeline.syncOperations.addHandler(clientReads)
            try client.pipeline.syncOperations.addHandler(clientGlue)
            try backend.pipeline.syncOperations.addHandler(backendGlue)
            GlueHandler.join(clientGlue, backendGlue)
        }
    }

    @Test func bytesAreForwardedBothWaysAndCounted() async throws {
        let pair = try await Pair()
        try pair.client.writeInbound(ByteBuffer(string: "hello"))
        #expect(try pair.backend.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "hello"))
        try pair.backend.writeInbound(ByteBuffer(string: "hi"))
        #expect(try pair.client.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "hi"))
        #expect(pair.counters.bytes.load(ordering: .relaxed) == 7, "5 bytes up and 2 down")
    }

    @Test func theClientIsNotReadWhileTheBackendIsNotWritable() async throws {
        let pair = try await Pair()
        let before = pair.clientReads.reads
        pair.backend.isWritable = false
        pair.backend.pipeline.fireChannelWritabilityChanged()
        pair.client.read()
        #expect(pair.clientReads.reads == before, "a read must wait while the partner cannot take data")
        pair.backend.isWritable = true
        pair.backend.pipeline.fireChannelWritabilityChanged()
        #expect(pair.clientReads.reads == before + 1, "the parked read should go out once the partner drains")
    }

    @Test func closingOneSideClosesTheOther() async throws {
        let pair = try await Pair()
        try await pair.client.close()
        #expect(!pair.backend.isActive, "the backend should close with the client")
    }
}
