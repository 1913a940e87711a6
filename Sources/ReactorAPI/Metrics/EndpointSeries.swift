import Metrics
import Prometheus
import ReactorCore
import ReactorStore
import ZooKeeper

/// The per-endpoint series of `GET /metrics`, read from ZooKeeper at each scrape into a fresh
/// registry (so that a deleted endpoint's series go with it): instances by state, confirmed
/// addresses, open sessions, state, the owner's target and computed metrics (docs/metrics.md).
enum EndpointSeries {
    /// How many endpoints are read at once: each is a handful of ZooKeeper round trips.
    static let concurrentReads = 16

    /// What one endpoint reports.
    struct Reading: Sendable {
        let name: String
        var instances: [(String, Int)] = []
        var confirmedAddresses = 0
        var sessions = 0
        var state = EndpointState.paused
        var target: Double?
        var metrics: [(String, Double)] = []
    }

    /// The series for every endpoint, in the Prometheus text format.
    static func text(store: ReactorStore) async throws -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        func gauge(_ name: String, _ labels: [(String, String)], _ value: Double) {
            Gauge(label: name, dimensions: labels, factory: factory).record(value)
        }
        for reading in try await readings(store: store) {
            let endpoint = [("endpoint", reading.name)]
            for (state, count) in reading.instances {
                gauge("reactor_endpoint_instances", endpoint + [("state", state)], Double(count))
            }
            gauge("reactor_endpoint_confirmed_addresses", endpoint, Double(reading.confirmedAddresses))
            gauge("reactor_endpoint_sessions", endpoint, Double(reading.sessions))
            for candidate in EndpointState.allCases {
                gauge(
                    "reactor_endpoint_state", endpoint + [("state", candidate.rawValue)],
                    reading.state == candidate ? 1 : 0)
            }
            if let target = reading.target { gauge("reactor_endpoint_target_instances", endpoint, target) }
            for (metric, value) in reading.metrics {
                gauge("reactor_endpoint_metric", endpoint + [("metric", metric)], value)
            }
        }
        // Endpoints per condition (every kind, 0 included, so an alert can watch one series), and
        // which endpoint has which.
        var counts: [EndpointCondition.Kind: Int] = [:]
        for summary in try await store.endpointSummaries().endpoints where summary.aliasOf == nil {
            for condition in summary.conditions {
                counts[condition.kind, default: 0] += 1
                gauge(
                    "reactor_endpoint_condition", [("endpoint", summary.name), ("type", condition.kind.rawValue)], 1)
            }
        }
        for kind in EndpointCondition.Kind.allCases {
            gauge("reactor_endpoints_with_condition", [("type", kind.rawValue)], Double(counts[kind] ?? 0))
        }
        return registry.emitToBuffer()
    }

    /// Every endpoint's reading, ``concurrentReads`` at a time. An alias names the same endpoint:
    /// it is reported once, under its first name.
    static func readings(store: ReactorStore) async throws -> [Reading] {
        var seen = Set<String>()
        var endpoints: [(name: String, id: String)] = []
        for name in try await store.endpointNames() {
            guard let id = try await store.endpointIDIfPresent(named: name), seen.insert(id).inserted else { continue }
            endpoints.append((name, id))
        }
        return try await withThrowingTaskGroup(of: Reading?.self) { group in
            var readings: [Reading] = []
            var next = endpoints.makeIterator()
            for _ in 0..<concurrentReads {
                guard let endpoint = next.next() else { break }
                group.addTask { try await read(endpoint.name, id: endpoint.id, store: store) }
            }
            while let reading = try await group.next() {
                if let reading { readings.append(reading) }
                if let endpoint = next.next() {
                    group.addTask { try await read(endpoint.name, id: endpoint.id, store: store) }
                }
            }
            return readings.sorted { $0.name < $1.name }
        }
    }

    /// One endpoint's reading; `nil` when it was deleted while being read.
    static func read(_ name: String, id: String, store: ReactorStore) async throws -> Reading? {
        var reading = Reading(name: name)
        do {
            reading.instances = [("active", try await store.instances(id: id).count)]
            for directory in [EndpointNode.decommissioned, EndpointNode.errored] {
                reading.instances.append((directory, try await store.instanceIDs(id: id, in: directory).count))
            }
            reading.confirmedAddresses = try await store.confirmedIPs(id: id).count
            reading.sessions = try await store.sessions(id: id).count
            reading.state = try await store.endpointState(id: id)
            reading.target = try await store.endpointDecision(id: id)?.objectValue?["target"]?.numberValue
            for (metric, value) in try await store.endpointMetrics(id: id).objectValue ?? [:] {
                if let number = value.numberValue { reading.metrics.append((metric, number)) }
            }
            return reading
        } catch let error as ZooKeeperError where error.code == .noNode {
            return nil
        } catch StoreError.endpointNotFound(_) {
            return nil
        }
    }
}
