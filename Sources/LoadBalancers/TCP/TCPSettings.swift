/// The `[loadbalancer:tcp]` section of an endpoint: how its connections are balanced and held.
///
/// ```ini
/// [loadbalancer:tcp]
/// balance = leastconn     ; roundrobin (default) | leastconn
/// hold_timeout = 30       ; seconds a connection waits for an instance when there is none; default 0
/// ```
///
/// The endpoint's `redirect` (`[endpoint]`) is where held connections go when the hold time passes.
public struct TCPSettings: Sendable, Hashable {
    /// `balance`; default ``BalancingAlgorithm/roundRobin``.
    public var algorithm: BalancingAlgorithm
    /// `hold_timeout`; default 0 (close at once when there is no instance).
    public var holdTimeout: Duration

    /// - Parameters:
    ///   - algorithm: default ``BalancingAlgorithm/roundRobin``.
    ///   - holdTimeout: default 0.
    public init(algorithm: BalancingAlgorithm = .roundRobin, holdTimeout: Duration = .zero) {
        self.algorithm = algorithm
        self.holdTimeout = holdTimeout
    }

    /// Reads the section's keys; absent keys take their defaults and unknown keys are ignored.
    ///
    /// - Throws: ``TCPBalancerError/invalidSetting(key:value:expected:)`` for a value out of form.
    public init(section: [String: String]) throws(TCPBalancerError) {
        self.init()
        algorithm = try SettingsReader<TCPBalancerError>(section: section).algorithm() ?? algorithm
        if let text = section["hold_timeout"] {
            guard let seconds = Double(text), seconds >= 0, seconds <= 1_000_000 else {
                throw .invalidSetting(
                    key: "hold_timeout", value: text, expected: "a number of seconds from 0 to 1000000")
            }
            holdTimeout = .milliseconds(Int64((seconds * 1000).rounded()))
        }
    }
}
