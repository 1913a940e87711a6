import Metrics
import Prometheus
import ReactorCore
import ReactorStore
import ZooKeeper

/// The per-endpoint series of `GET /metrics`, read from ZooKeeper at each scrape into a fresh
/// registry (so that a deleted endpoint's series go with it): instances by state, confirmed
/// addresses, open sessions, state, the owner's target and computed metrics (docs/metrics.md).
enum EndpointSeries {
    /// The series for every endpoint, in the Prometheus text format.
    static func text(store: ReactorStore) async throws -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        func gauge(_ name: String, _ labels: [(String, String)], _ value: Double) {
            Gauge(label: name, dimensions: labels, factory: factory).record(value)
        }
        var seen = Set<String>()
        for name in try await store.endpointNames() {
            // An alias names the same endpoint: its series are reported once, under its first name.
            guard let id = try await store.endpointIDIfPresent(named: name), seen.insert(id).inserted else { continue }
            let endpoint = [("endpoint", name)]
            do {
                gauge(
                    "reactor_endpoint_instances", endpoint + [("state", "active")],
                    Double(try await store.instances(id: id).count))
                for directory in [EndpointNode.decommissioned, EndpointNode.errored] {
                    let count = try await store.instanceIDs(id: id, in: directory).count
                    gauge("reactor_endpoint_instances", endpoint + [("state", directory)], Double(count))
                }
                gauge(
                    "reactor_endpoint_confirmed_addresses", endpoint, Double(try await store.confirmedIPs(id: id).count)
                )
                gauge("reactor_endpoint_sessions", endpoint, Double(try await store.sessions(id: id).count))
                let state = try await store.endpointState(id: id)
                for candidate in EndpointState.allCases {
                    gauge(
                        "reactor_endpoint_state", endpoint + [("state", candidate.rawValue)], state == candidate ? 1 : 0
                    )
                }
                if let target = try await store.endpointDecision(id: id)?.objectValue?["target"]?.numberValue {
                    gauge("reactor_endpoint_target_instances", endpoint, target)
                }
                for (metric, value) in try await store.endpointMetrics(id: id).objectValue ?? [:] {
                    guard let number = value.numberValue else { continue }
                    gauge("reactor_endpoint_metric", endpoint + [("metric", metric)], number)
                }
            } catch let error as ZooKeeperError where error.code == .noNode {
                continue  // deleted while being read
            } catch StoreError.endpointNotFound(_) {
                continue
            }
        }
        return registry.emitToBuffer()
    }
}
