import Hummingbird
import NIOCore

/// The per-request context of the API: Hummingbird's core storage plus the peer's address, which
/// implicit routes need to find the caller's endpoint.
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connected peer (before any `X-Forwarded-For`), when the transport knows it.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Bodies are read by ``RequestBodyReader`` with its own limit; this one applies to Hummingbird's
    /// decoders only, which the API does not use.
    public var maxUploadSize: Int { RequestBodyReader.maximumBytes }
}
