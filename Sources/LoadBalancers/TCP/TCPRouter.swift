import ProcessSupport
import Synchronization

/// The routing table of a ``TCPBalancer``: services with their backend pickers, and the counters of
/// every backend.
///
/// The forwarding loops ask it where each new connection goes, so its state sits behind a `Mutex`
/// held only for table lookups and updates, never across I/O. Connections themselves (open, being
/// connected, held) belong to the loop that accepted them (``ForwardingLoop``).
final class TCPRouter: Sendable {
    /// One URL's backends and what to do while it has none.
    struct Service: Sendable {
        var picker: BackendPicker
        var holdTimeout: Duration
        var redirect: String?
        var maxConnections = TCPSettings.defaultMaxConnections
        /// `idle_timeout` in monotonic ns (0: never).
        var idleTimeout = ForwardingLoop.nanoseconds(TCPSettings.defaultIdleTimeout)
        /// Kept across reconfigurations: open connections are counted against the new limit.
        var load = ServiceLoad()
    }

    /// What a new connection of a URL takes with it.
    struct Admission {
        /// Counts it among the URL's open connections; `nil` when the URL is not served (it is
        /// closed by its routing).
        var load: ServiceLoad?
        var idleTimeout: Int64
    }

    /// Whether a new connection may be served.
    enum AdmissionDecision {
        case admitted(Admission)
        /// The URL has `limit` connections open; `firstRefusal` when the previous one was admitted.
        case refused(limit: Int, firstRefusal: Bool)
    }

    struct State: Sendable {
        var services: [String: Service] = [:]
        var counters: [String: BackendCounters] = [:]
        var weights: [String: Double] = [:]
        /// The socket address of every configured backend, made once per configuration.
        var addresses: [String: SocketAddress] = [:]
    }

    /// Where a new connection (or one whose backend failed) goes.
    enum Decision {
        /// To `backend`; its `active` count already includes this connection.
        case connect(Backend, SocketAddress, BackendCounters)
        /// Nowhere yet: hold it for up to `timeout`, then redirect it (HTTP) or close it.
        case hold(timeout: Duration)
        /// The service is gone, or every backend failed for this connection.
        case close
    }

    let state = Mutex(State())

    /// Replaces the services. Services sharing a URL are pooled. Backends that cannot be connected
    /// to (not an IP address, or a port out of range) are left out.
    ///
    /// - Returns: the backends left out, by service URL.
    @discardableResult
    func update(_ services: [BalancedService], settings: [String: TCPSettings] = [:]) -> [String: [Backend]] {
        var unusable: [String: [Backend]] = [:]
        var addresses: [String: SocketAddress] = [:]
        let services = services.map { service in
            var service = service
            service.backends = service.backends.filter { backend in
                guard let address = SocketAddress(ip: backend.ip, port: backend.port) else {
                    unusable[service.url, default: []].append(backend)
                    return false
                }
                addresses[backend.address] = address
                return true
            }
            return service
        }
        var merged: [String: BalancedService] = [:]
        for service in services {
            if var existing = merged[service.url] {
                existing.backends += service.backends
                merged[service.url] = existing
            } else {
                merged[service.url] = service
            }
        }
        state.withLock { state in
            state.services = state.services.filter { merged[$0.key] != nil }
            for (url, wanted) in merged {
                var service =
                    state.services[url]
                    ?? Service(picker: BackendPicker(backends: [], algorithm: wanted.algorithm), holdTimeout: .zero)
                service.picker.update(backends: wanted.backends, algorithm: wanted.algorithm)
                service.holdTimeout = wanted.holdTimeout
                service.redirect = wanted.redirect
                let limits = settings[url] ?? TCPSettings()
                service.maxConnections = limits.maxConnections
                service.idleTimeout = ForwardingLoop.nanoseconds(limits.idleTimeout)
                state.services[url] = service
                for backend in wanted.backends where state.counters[backend.address] == nil {
                    state.counters[backend.address] = BackendCounters()
                }
            }
            for (address, weight) in BalancedService.backendWeights(services) {
                state.weights[address] = weight
            }
            let configured = Set(merged.values.flatMap { $0.backends.map(\.address) })
            state.counters = state.counters.filter {
                configured.contains($0.key) || $0.value.active.load(ordering: .relaxed) > 0
            }
            state.weights = state.weights.filter { state.counters[$0.key] != nil }
            state.addresses = addresses
        }
        return unusable
    }

    /// Picks the backend for a connection to `url`, skipping the backends in `tried`.
    func route(_ url: String, tried: Set<String>) -> Decision {
        state.withLock { state in
            guard state.services[url] != nil else { return .close }
            let counters = state.counters
            // Picked in place: a copy of the service would copy its tables on every connection.
            let picked = state.services[url]?.picker.pick(excluding: tried) {
                counters[$0]?.active.load(ordering: .relaxed) ?? 0
            }
            if let picked, let backendCounters = counters[picked.address], let address = state.addresses[picked.address]
            {
                // Counted from the connect attempt so that least connections sees bursts.
                backendCounters.active.wrappingAdd(1, ordering: .relaxed)
                return .connect(picked, address, backendCounters)
            }
            guard state.services[url]?.picker.isEmpty == true else { return .close }  // every backend failed
            return .hold(timeout: state.services[url]?.holdTimeout ?? .zero)
        }
    }

    /// Counts a new connection of `url` among its open ones, unless it has `max_connections` open.
    func admit(_ url: String) -> AdmissionDecision {
        let service = state.withLock { state in
            state.services[url].map { ($0.load, $0.maxConnections, $0.idleTimeout) }
        }
        guard let (load, limit, idleTimeout) = service else {
            return .admitted(Admission(load: nil, idleTimeout: 0))
        }
        guard load.open.wrappingAdd(1, ordering: .relaxed).newValue <= limit else {
            load.open.wrappingSubtract(1, ordering: .relaxed)
            return .refused(limit: limit, firstRefusal: !load.refusing.exchange(true, ordering: .relaxed))
        }
        if load.refusing.load(ordering: .relaxed) { load.refusing.store(false, ordering: .relaxed) }
        return .admitted(Admission(load: load, idleTimeout: idleTimeout))
    }

    /// Whether `url` is served, and where its held connections go when their time is up.
    func holdOutcome(_ url: String) -> (served: Bool, hasBackends: Bool, redirect: String?) {
        state.withLock { state in
            guard let service = state.services[url] else { return (false, false, nil) }
            return (true, !service.picker.isEmpty, service.redirect)
        }
    }

    /// The URLs served now.
    var urls: [String] {
        state.withLock { Array($0.services.keys) }
    }

    /// The counters and weight of every configured backend, and of removed ones still carrying connections.
    func counters() -> [(address: String, weight: Double, counters: BackendCounters)] {
        state.withLock { state in
            state.counters.map { ($0.key, state.weights[$0.key] ?? 1, $0.value) }
        }
    }

    /// Forgets every service.
    func removeAll() {
        state.withLock { $0.services = [:] }
    }
}

/// The open connections of one URL, counted by every loop against its `max_connections`.
final class ServiceLoad: Sendable {
    let open = Atomic<Int>(0)
    /// Set by the first refused connection, so that the limit is logged once per time it is reached.
    let refusing = Atomic<Bool>(false)
}
