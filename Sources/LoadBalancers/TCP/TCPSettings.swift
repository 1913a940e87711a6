/// The `[loadbalancer:tcp]` section of an endpoint: how its connections are balanced, held and
/// limited.
///
/// ```ini
/// [loadbalancer:tcp]
/// balance = leastconn       ; roundrobin (default) | leastconn
/// hold_timeout = 30         ; seconds a connection waits for an instance when there is none; default 0
/// max_connections = 10000   ; connections open at once on the endpoint's URL; default 10000
/// idle_timeout = 300        ; seconds without a byte either way before a connection is closed; default 300, 0 never
/// ```
///
/// The endpoint's `redirect` (`[endpoint]`) is where held connections go when the hold time passes.
/// A connection beyond `max_connections` is accepted and closed at once (said once in the log
/// until the URL is under its limit again).
public struct TCPSettings: Sendable, Hashable {
    /// `balance`; default ``BalancingAlgorithm/roundRobin``.
    public var algorithm: BalancingAlgorithm
    /// `hold_timeout`; default 0 (close at once when there is no instance).
    public var holdTimeout: Duration
    /// `max_connections`; default ``defaultMaxConnections``.
    public var maxConnections: Int
    /// `idle_timeout`; default ``defaultIdleTimeout``; zero never closes a connection for idleness.
    public var idleTimeout: Duration

    /// 10000 connections per URL.
    public static let defaultMaxConnections = 10_000
    /// 300 seconds.
    public static let defaultIdleTimeout = Duration.seconds(300)

    /// - Parameters:
    ///   - algorithm: default ``BalancingAlgorithm/roundRobin``.
    ///   - holdTimeout: default 0.
    ///   - maxConnections: default ``defaultMaxConnections``.
    ///   - idleTimeout: default ``defaultIdleTimeout``.
    public init(
        algorithm: BalancingAlgorithm = .roundRobin, holdTimeout: Duration = .zero,
        maxConnections: Int = TCPSettings.defaultMaxConnections, idleTimeout: Duration = TCPSettings.defaultIdleTimeout
    ) {
        self.algorithm = algorithm
        self.holdTimeout = holdTimeout
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
    }

    /// Reads the section's keys; absent keys take their defaults and unknown keys are ignored.
    ///
    /// - Throws: ``TCPBalancerError/invalidSetting(key:value:expected:)`` for a value out of form.
    public init(section: [String: String]) throws(TCPBalancerError) {
        self.init()
        algorithm = try SettingsReader<TCPBalancerError>(section: section).algorithm() ?? algorithm
        if let text = section["hold_timeout"] {
            holdTimeout = try Self.seconds(text, key: "hold_timeout")
        }
        if let text = section["idle_timeout"] {
            idleTimeout = try Self.seconds(text, key: "idle_timeout")
        }
        maxConnections =
            try SettingsReader<TCPBalancerError>(section: section).value(
                "max_connections", expected: "a whole number from 1 to 1000000"
            ) { Int($0).flatMap { (1...1_000_000).contains($0) ? $0 : nil } } ?? maxConnections
    }

    private static func seconds(_ text: String, key: String) throws(TCPBalancerError) -> Duration {
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= 1_000_000 else {
            throw .invalidSetting(key: key, value: text, expected: "a number of seconds from 0 to 1000000")
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
