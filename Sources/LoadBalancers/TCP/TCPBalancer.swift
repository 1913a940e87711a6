import CLinux
import Logging
import ProcessSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built-in `tcp` load balancer: listens on each service's `tcp://[host:]port` and splices every
/// client connection to a backend, on a few threads of its own (see ``ForwardingLoop``).
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
///
/// The forwarding loops are plain epoll loops rather than SwiftNIO channels. A proxy pays its event
/// library's per-connection cost twice (client and backend); on SwiftNIO that took about twice
/// haproxy's CPU per connection (13 epoll_ctl and 7 getsockname/getpeername calls among ~38 system
/// calls, against haproxy's ~18), so with a new connection per request it reached only 0.66 of
/// haproxy's rate. These loops make about 19 calls, use about as much CPU per connection as haproxy
/// and match its rate (`bench/tcp-proxy`).
public actor TCPBalancer: LoadBalancerDriver {
    /// One loop per core, at least two.
    public static var defaultThreads: Int { max(2, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    private let logger: Logger
    private let router = TCPRouter()
    private let threads: Int
    private let connectTimeout: Duration
    /// Started with the first listener; each has one listening socket per URL.
    private var loops: [ForwardingLoop] = []
    /// The port each URL's listeners are bound to.
    private var listeners: [String: Int] = [:]
    private var configurations = ConfigurationChain()
    private var lastSnapshots: [String: BackendCounters.Snapshot] = [:]

    /// - Parameters:
    ///   - threads: how many forwarding loops; default ``defaultThreads``.
    ///   - connectTimeout: how long a backend may take to accept before another is tried; default 2 s.
    ///   - logger: diagnostics; default label `reactor.lb.tcp`.
    public init(
        threads: Int = TCPBalancer.defaultThreads,
        connectTimeout: Duration = .seconds(2),
        logger: Logger = Logger(label: "reactor.lb.tcp")
    ) {
        self.threads = max(1, threads)
        self.connectTimeout = connectTimeout
        self.logger = logger
    }

    public func configure(_ services: [BalancedService]) async throws {
        // Listening suspends the actor; chaining keeps two calls from interleaving.
        try await configurations.append { try await self.apply(services) }.value
    }

    private func apply(_ services: [BalancedService]) async throws {
        var addresses: [String: TCPListenAddress] = [:]
        var settings: [String: TCPSettings] = [:]
        for service in services {
            addresses[service.url] = try TCPListenAddress(url: service.url)
            // Endpoints sharing a URL: the first one's section counts, as for its algorithm.
            if settings[service.url] == nil {
                settings[service.url] = try TCPSettings(section: service.settings)
            }
        }
        for (url, backends) in router.update(services, settings: settings) {
            logger.warning(
                "ignoring backends that are not IP addresses with a port",
                metadata: ["lb.url": "\(url)", "lb.backends": "\(backends.map(\.address))"])
        }
        for loop in loops {
            await loop.post(.servicesChanged)
        }
        var failure: TCPBalancerError?
        for (url, address) in addresses.sorted(by: { $0.key < $1.key }) where listeners[url] == nil {
            do {
                listeners[url] = try await listen(on: address, url: url)
                logger.info("listening", metadata: ["lb.url": "\(url)"])
            } catch {
                logger.error("cannot listen", metadata: ["lb.url": "\(url)", "error": "\(error)"])
                failure = error
            }
        }
        for url in listeners.keys where addresses[url] == nil {
            listeners[url] = nil
            for loop in loops {
                await loop.post(.stopListening(url: url))
            }
            logger.info("stopped listening", metadata: ["lb.url": "\(url)"])
        }
        if let failure { throw failure }
    }

    /// The port a service's listener is bound to (useful with port 0), or `nil` when it is not listening.
    public func boundPort(for url: String) -> Int? {
        listeners[url]
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

    /// Held connections per service URL (every served URL, 0 included).
    public func pending() -> [String: Int] {
        var result = Dictionary(uniqueKeysWithValues: router.urls.map { ($0, 0) })
        for loop in loops {
            for (url, count) in loop.heldCounts.withLock({ $0 }) where result[url] != nil {
                result[url, default: 0] += count
            }
        }
        return result
    }

    /// `client ip:port` → `backend ip:port` of every open session.
    public func sessions() -> [String: String] {
        var result: [String: String] = [:]
        for loop in loops {
            for record in loop.sessions.withLock({ Array($0.values) }) {
                result[record.client] = record.backend
            }
        }
        return result
    }

    /// Closes both sides of `client`'s session.
    public func dropSession(_ client: String) async -> Bool {
        for loop in loops {
            let id = loop.sessions.withLock { sessions -> Int? in
                guard let id = sessions.first(where: { $0.value.client == client })?.key else { return nil }
                return sessions.removeValue(forKey: id).map { _ in id }
            }
            if let id {
                logger.info("dropping session", metadata: ["lb.client": "\(client)"])
                await loop.post(.drop(id: id))
                return true
            }
        }
        return false
    }

    public func shutdown() async {
        await configurations.settle()
        router.removeAll()
        let stopping = loops
        loops = []
        listeners = [:]
        for loop in stopping {
            await loop.post(.stop)
        }
    }

    /// Opens one listening socket per loop on `address` (the first fixes the port when it is 0) and
    /// hands them to the loops.
    ///
    /// - Returns: the bound port.
    private func listen(on address: TCPListenAddress, url: String) async throws(TCPBalancerError) -> Int {
        try startLoops()
        var sockets: [Int32] = []
        var port = address.port
        do {
            for _ in loops {
                let (fd, bound) = try ListeningSocket.open(host: address.host, port: port, url: url)
                sockets.append(fd)
                port = bound
            }
        } catch {
            for fd in sockets { close(fd) }
            throw error
        }
        for (loop, fd) in zip(loops, sockets) {
            await loop.post(.listen(fd: fd, url: url))
        }
        return port
    }

    private func startLoops() throws(TCPBalancerError) {
        guard loops.isEmpty else { return }
        for index in 0..<threads {
            let loop = try ForwardingLoop(index: index, router: router, connectTimeout: connectTimeout, logger: logger)
            try loop.start()
            loops.append(loop)
        }
    }
}

/// Listening sockets for the forwarding loops.
enum ListeningSocket {
    /// A non-blocking socket bound to `host:port` with SO_REUSEADDR and SO_REUSEPORT, listening.
    ///
    /// - Returns: the socket and the port it is bound to.
    static func open(host: String, port: Int, url: String) throws(TCPBalancerError) -> (fd: Int32, port: Int) {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let info = found else {
            throw .cannotListen(url: url, reason: "cannot resolve '\(host)': \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(found) }
        let type = Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
        let fd = socket(info.pointee.ai_family, type, 0)
        guard fd >= 0 else { throw .cannotListen(url: url, reason: String(cString: strerror(errno))) }
        var one: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, size) == 0,
            setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, size) == 0,
            bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0,
            Glibc.listen(fd, 1024) == 0
        else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .cannotListen(url: url, reason: reason)
        }
        var bound = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let description = SocketAddress.describe(bound)
        let boundPort = description.split(separator: ":").last.flatMap { Int($0) } ?? port
        return (fd, boundPort)
    }
}
