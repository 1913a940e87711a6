import Metrics
import Prometheus

/// The API's own Prometheus series (docs/metrics.md): requests by route pattern, method and status,
/// and their latency. Each application has its own registry (not the process-wide
/// `MetricsSystem`), so that `reactor server` and tests can build several side by side.
struct APIMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .milliseconds(2500), .seconds(5),
        ]
        self.factory = factory
    }

    /// Counts one answered request.
    ///
    /// - Parameters:
    ///   - route: the route pattern (`/v1.1/endpoints/{name}/state`), never the requested path, so
    ///     that the label has as many values as the API has routes.
    ///   - method: the HTTP method.
    ///   - status: the answer's status code.
    ///   - duration: how long the answer took.
    func request(route: String, method: String, status: Int, duration: Duration) {
        let dimensions = [("route", route), ("method", method), ("status", String(status))]
        Counter(label: "reactor_api_requests_total", dimensions: dimensions, factory: factory).increment()
        Metrics.Timer(
            label: "reactor_api_request_duration_seconds", dimensions: [("route", route), ("method", method)],
            factory: factory
        ).recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
