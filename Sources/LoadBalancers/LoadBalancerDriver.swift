/// A load balancer driver: turns services (a URL and its live backends) into running configuration and
/// reports what it sees back to the manager (docs/design.md#load-balancer-drivers).
///
/// Every manager runs the drivers for every endpoint whose balancer it serves ("front doors"), so the
/// numbers reported here are this host's share; the manager publishes them under its uuid and the owner
/// sums them across managers.
public protocol LoadBalancerDriver: Sendable {
    /// Replaces the whole configuration. Services absent from `services` stop being served; backends
    /// absent from a service stop getting new connections, while connections already open to them
    /// keep running until they close.
    ///
    /// - Parameter services: every service this driver should serve, at most one per URL.
    func configure(_ services: [BalancedService]) async throws

    /// Per-backend metrics, `{"ip:port": {metric: [weight, value]}}`, the weight being the backend's.
    func metrics() async -> [String: [String: [Double]]]

    /// Connections held while a service has no live backend, by service URL.
    func pending() async -> [String: Int]

    /// Open sessions, `client ip:port` → `backend ip:port`.
    func sessions() async -> [String: String]

    /// Cuts the session of `client` (`ip:port`), closing both sides.
    ///
    /// - Returns: `true` when such a session was open.
    func dropSession(_ client: String) async -> Bool

    /// Stops serving every service and closes every connection.
    func shutdown() async
}
