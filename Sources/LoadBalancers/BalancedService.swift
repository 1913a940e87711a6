/// One balancer entry: a URL and the backends that share its traffic.
///
/// Endpoints sharing a URL share one entry; their backends are pooled, each weighted by its
/// endpoint's `weight` (docs/design.md#front-doors).
public struct BalancedService: Sendable, Hashable {
    /// Where clients connect, e.g. `tcp://8080` or `tcp://10.0.0.1:8080`.
    public var url: String
    /// Where connections go; an empty list makes the balancer hold new connections.
    public var backends: [Backend]
    /// How a backend is chosen for each new connection.
    public var algorithm: BalancingAlgorithm
    /// How long a new connection may wait for a backend when there is none.
    public var holdTimeout: Duration
    /// Where a held connection is sent (HTTP 302) when the hold time passes; `nil` closes it instead.
    public var redirect: String?
    /// The endpoint's `[loadbalancer:<driver>]` section, read by the driver serving the URL (e.g.
    /// ``NginxSettings/init(section:)``); drivers throw on a key out of form.
    public var settings: [String: String]

    /// - Parameters:
    ///   - url: where clients connect.
    ///   - backends: where connections go.
    ///   - algorithm: default ``BalancingAlgorithm/roundRobin``.
    ///   - holdTimeout: default 0 (close at once when there is no backend).
    ///   - redirect: default `nil` (close instead of redirecting).
    ///   - settings: default empty (every key at its default).
    public init(
        url: String,
        backends: [Backend],
        algorithm: BalancingAlgorithm = .roundRobin,
        holdTimeout: Duration = .zero,
        redirect: String? = nil,
        settings: [String: String] = [:]
    ) {
        self.url = url
        self.backends = backends
        self.algorithm = algorithm
        self.holdTimeout = holdTimeout
        self.redirect = redirect
        self.settings = settings
    }
}

/// One place a balanced connection can go.
public struct Backend: Sendable, Hashable {
    /// The backend's IP address.
    public var ip: String
    /// The backend's port.
    public var port: Int
    /// Its share of new connections relative to the other backends; 0 gets none.
    public var weight: Double

    /// - Parameters:
    ///   - ip: the backend's IP address.
    ///   - port: the backend's port.
    ///   - weight: default 1.
    public init(ip: String, port: Int, weight: Double = 1) {
        self.ip = ip
        self.port = port
        self.weight = weight
    }

    /// `ip:port`, the key of metrics and sessions.
    public var address: String { "\(ip):\(port)" }
}

/// How a balancer picks the backend of a new connection.
public enum BalancingAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// Smooth weighted round robin: each backend gets `weight / Σweight` of the connections, interleaved.
    case roundRobin = "roundrobin"
    /// The backend with the fewest active connections per unit of weight.
    case leastConnections = "leastconn"
}
