import Metrics
import Prometheus

/// A manager's Prometheus series (docs/metrics.md), served by `reactor manager --metrics-port`:
/// pass durations, ZooKeeper calls and errors, owned endpoints, and per owned endpoint the
/// launches, deletes and scaling decisions. It has a registry of its own (not the process-wide
/// `MetricsSystem`), so that `reactor server` can run an API and a manager side by side.
public final class ManagerMetrics: Sendable {
    /// What ``text()`` emits.
    public let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    /// The metrics of the manager whose pass is running in this task (set by ``ManagerService``
    /// around each pass), so that the scaling code deep inside it records without being handed
    /// the recorder through every layer.
    @TaskLocal static var current: ManagerMetrics?

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
            .seconds(30),
        ]
        self.factory = factory
    }

    /// The series in the Prometheus text format.
    public func text() -> [UInt8] {
        registry.emitToBuffer()
    }

    /// One pass of the loop: its duration, the ZooKeeper calls it made, whether it failed, how
    /// many endpoints the manager owns and knows after it, and the watches its session has set.
    func pass(duration: Duration, reads: Int, writes: Int, failed: Bool, owned: Int, known: Int, watches: Int = 0) {
        Metrics.Timer(label: "reactor_manager_pass_duration_seconds", factory: factory)
            .recordNanoseconds(duration.nanoseconds)
        Counter(
            label: "reactor_manager_passes_total", dimensions: [("result", failed ? "failed" : "ok")], factory: factory
        )
        .increment()
        Counter(label: "reactor_manager_zookeeper_operations_total", dimensions: [("kind", "read")], factory: factory)
            .increment(by: max(reads, 0))
        Counter(label: "reactor_manager_zookeeper_operations_total", dimensions: [("kind", "write")], factory: factory)
            .increment(by: max(writes, 0))
        Gauge(label: "reactor_manager_owned_endpoints", factory: factory).record(owned)
        Gauge(label: "reactor_manager_known_endpoints", factory: factory).record(known)
        Gauge(label: "reactor_manager_zookeeper_watches", factory: factory).record(watches)
    }

    /// A ZooKeeper error that failed a pass or an endpoint's work, by its `ZOO_*` code name.
    func zooKeeperError(_ code: String) {
        Counter(label: "reactor_manager_zookeeper_errors_total", dimensions: [("code", code)], factory: factory)
            .increment()
    }

    /// An instance launched for `endpoint`.
    func launched(endpoint: String) {
        Counter(label: "reactor_manager_launches_total", dimensions: [("endpoint", endpoint)], factory: factory)
            .increment()
    }

    /// An instance of `endpoint` deleted from its cloud.
    func deleted(endpoint: String) {
        Counter(label: "reactor_manager_deletes_total", dimensions: [("endpoint", endpoint)], factory: factory)
            .increment()
    }

    /// A new scaling decision recorded for `endpoint`: `up`, `down` or `hold` (target against the
    /// instances counted).
    func decision(endpoint: String, direction: String) {
        Counter(
            label: "reactor_manager_decisions_total", dimensions: [("endpoint", endpoint), ("direction", direction)],
            factory: factory
        ).increment()
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
