import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built-in `tcp` load balancer: listens on each service's `tcp://[host:]port` and splices every
/// client connection to a backend (see ``GlueHandler``).
///
/// ```swift
/// let balancer = TCPBalancer()
/// try await balancer.configure([
///     BalancedService(url: "tcp://8080", backends: [Backend(ip: "127.0.1.1", port: 8000, weight: 2)],
///                     holdTimeout: .seconds(30)),
/// ])
/// let metrics = await balancer.metrics()   // ["127.0.1.1:8000": ["active": [2, 1], ...]]
/// await balancer.shutdown()
/// ```
///
/// Listeners bind with SO_REUSEADDR and SO_REUSEPORT so that two managers on one host can serve the
/// same port. Reconfiguring changes where new connections go; open connections are never cut by it.
public actor TCPBalancer: LoadBalancerDriver {
    private let group: any EventLoopGroup
    private let logger: Logger
    private let router: TCPRouter
    /// One listening socket per event loop and URL (SO_REUSEPORT: the kernel spreads new connections
    /// over them, and each connection stays on the loop that accepted it).
    private var listeners: [String: [any Channel]] = [:]
    private var configurations = ConfigurationChain()
    private var lastSnapshots: [String: BackendCounters.Snapshot] = [:]

    /// - Parameters:
    ///   - group: the event loops for listeners and connections; default NIO's shared singleton group.
    ///   - connectTimeout: how long a backend may take to accept before another is tried; default 2 s.
    ///   - logger: diagnostics; default label `reactor.lb.tcp`.
    public init(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        connectTimeout: Duration = .seconds(2),
        logger: Logger = Logger(label: "reactor.lb.tcp")
    ) {
        self.group = group
        self.logger = logger
        self.router = TCPRouter(connectTimeout: TimeAmount(connectTimeout), logger: logger)
    }

    public func configure(_ services: [BalancedService]) async throws {
        // Binding suspends the actor; chaining keeps two calls from interleaving (and binding one URL twice).
        try await configurations.append { try await self.apply(services) }.value
    }

    private func apply(_ services: [BalancedService]) async throws {
        var addresses: [String: TCPListenAddress] = [:]
        for service in services {
            addresses[service.url] = try TCPListenAddress(url: service.url)
        }
        let changes = router.update(services)
        for held in changes.close {
            held.close(promise: nil)
        }
        for (channel, url) in changes.release {
            channel.eventLoop.execute { [router] in router.accept(channel, url: url) }
        }
        var failure: TCPBalancerError?
        for (url, address) in addresses.sorted(by: { $0.key < $1.key }) where listeners[url] == nil {
            do {
                listeners[url] = try await listen(on: address, url: url)
                logger.info("listening", metadata: ["lb.url": "\(url)"])
            } catch {
                logger.error("cannot listen", metadata: ["lb.url": "\(url)", "error": "\(error)"])
                failure = .cannotListen(url: url, reason: "\(error)")
            }
        }
        for (url, sockets) in listeners where addresses[url] == nil {
            listeners[url] = nil
            for listener in sockets { try? await listener.close() }
            logger.info("stopped listening", metadata: ["lb.url": "\(url)"])
        }
        if let failure { throw failure }
    }

    /// The port a service's listener is bound to (useful with port 0), or `nil` when it is not listening.
    public func boundPort(for url: String) -> Int? {
        listeners[url]?.first?.localAddress?.port
    }

    /// Per-backend metrics since the previous call (or since start), each `[backend weight, value]`:
    /// `active` (open connections now), `rate` (new connections/s), `bytes` (bytes/s, both directions)
    /// and `errors` (failed connection attempts). Removed backends are reported while they still
    /// carry connections.
    public func metrics() -> [String: [String: [Double]]] {
        var result: [String: [String: [Double]]] = [:]
        for (address, weight, counters) in router.counters() {
            let now = counters.snapshot()
            let last = lastSnapshots[address] ?? .init(at: counters.createdAt, connections: 0, bytes: 0, errors: 0)
            lastSnapshots[address] = now
            let elapsed = max((now.at - last.at) / .seconds(1), 0.001)
            result[address] = [
                "active": [weight, Double(counters.active.load(ordering: .relaxed))],
                "rate": [weight, Double(now.connections - last.connections) / elapsed],
                "bytes": [weight, Double(now.bytes - last.bytes) / elapsed],
                "errors": [weight, Double(now.errors - last.errors)],
            ]
        }
        lastSnapshots = lastSnapshots.filter { result[$0.key] != nil }
        return result
    }

    public func pending() -> [String: Int] {
        router.pending()
    }

    public func sessions() -> [String: String] {
        router.sessions()
    }

    public func dropSession(_ client: String) -> Bool {
        router.dropSession(client)
    }

    public func shutdown() async {
        await configurations.settle()
        let closing = listeners
        listeners = [:]
        for listener in closing.values.flatMap({ $0 }) {
            try? await listener.close()
        }
        router.closeAll()
    }

    /// Binds one listener per event loop on `address` (the first fixes the port when it is 0).
    private func listen(on address: TCPListenAddress, url: String) async throws -> [any Channel] {
        var channels: [any Channel] = []
        var port = address.port
        do {
            for loop in group.makeIterator() {
                let channel = try await listen(on: address.host, port: port, loop: loop, url: url)
                port = channel.localAddress?.port ?? port
                channels.append(channel)
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw error
        }
        return channels
    }

    private func listen(on host: String, port: Int, loop: any EventLoop, url: String) async throws -> any Channel {
        let reusePort = ChannelOptions.Types.SocketOption(
            level: .socket,
            name: NIOBSDSocket.Option(rawValue: SO_REUSEPORT)
        )
        return try await ServerBootstrap(group: loop, childGroup: loop)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(reusePort, value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            // Not read until a backend is glued: a held client is left unread.
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { [router] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptHandler(router: router, url: url))
                }
            }
            .bind(host: host, port: port)
            .get()
    }
}
