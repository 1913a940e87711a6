import Foundation
import ReactorCore
import ZooKeeper

/// Endpoint metrics: the manager's computed view, endpoint-wide custom metrics and raw
/// per-instance samples.
extension ReactorStore {
    /// The computed metrics `{metric: value}`.
    ///
    /// This is what the owning manager last published (`live_metrics`); while no manager has
    /// published anything it is the weighted average of the stored per-IP and custom metrics, so
    /// that what was posted can be read back at once.
    public func endpointMetrics(id: String) async throws -> JSONValue {
        if let live = try await json(at: ZNodeLayout.endpoint(id, EndpointNode.liveMetrics)), live.objectValue != nil {
            return live
        }
        return .object(try await postedMetrics(id: id).averages.mapValues(JSONValue.number))
    }

    /// The per-IP samples and endpoint-wide custom metrics posted through the API, combined.
    ///
    /// - Parameter ips: count only these instance IPs (the owner passes the confirmed ones, so
    ///   samples left by decommissioned instances do not count); nil (default) for all.
    public func postedMetrics(id: String, ips: Set<String>? = nil) async throws -> WeightedMetrics {
        var combined = WeightedMetrics()
        let stored = try await sortedChildren(of: ZNodeLayout.endpoint(id, EndpointNode.ipMetrics))
        for ip in stored where ips?.contains(ip) ?? true {
            if let sample = try await ipMetrics(id: id, ip: ip) { combined.add(sample, from: ip) }
        }
        if let custom = try await liveSample(at: ZNodeLayout.endpoint(id, EndpointNode.customMetrics)) {
            combined.add(custom, from: nil)
        }
        return combined
    }

    /// The raw samples `{metric: [weight, value]}` last posted for one instance IP; `nil` when
    /// none were posted or they have outlived their `ttl`.
    public func ipMetrics(id: String, ip: String) async throws -> JSONValue? {
        try await liveSample(at: ZNodeLayout.endpoint(id, "\(EndpointNode.ipMetrics)/\(ip)"))
    }

    /// A posted sample object, unless it is absent or has outlived its `ttl` (counted from the
    /// node's modification time, as the ZooKeeper server's clock has it).
    func liveSample(at path: String) async throws -> JSONValue? {
        NodeReadLog.notCovered()
        let node: NodeData
        do {
            node = try await client.get(path)
        } catch let error as ZooKeeperError where error.code == .noNode {
            return nil
        }
        guard !node.bytes.isEmpty else { return nil }
        let text = String(decoding: node.bytes, as: UTF8.self)
        // Data that is not JSON (written by hand) is returned as a string, as `json(at:)` does.
        guard let sample = JSONValue(validJSON: text) else { return .string(text) }
        let posted = Double(node.stat.mtime) / 1000
        return WeightedMetrics.hasExpired(sample, postedAt: posted, now: Date().timeIntervalSince1970) ? nil : sample
    }

    /// Replaces the samples of one instance IP.
    /// - Throws: ``StoreError/endpointNotFound(name:)`` when the endpoint is gone.
    public func setIPMetrics(_ metrics: JSONValue, id: String, name: String, ip: String) async throws {
        try await ensureEndpointDirectory(id: id, name: name, EndpointNode.ipMetrics)
        try await writeEndpointNode(id: id, name: name, "\(EndpointNode.ipMetrics)/\(ip)", metrics)
    }

    /// How many instance IPs may have samples stored for the endpoint: four times its
    /// `max_instances`, at least 64. Bounds what posts for made-up IPs can write.
    public func ipMetricsLimit(id: String, name: String) async throws -> Int {
        let configuration = try await endpointConfiguration(id: id, name: name)
        // A stored configuration that does not parse (written by hand) has the default bound.
        let maximum = (try? EndpointConfig(json: configuration))?.scaling.maxInstances ?? 1
        let (product, overflow) = maximum.multipliedReportingOverflow(by: 4)
        return max(overflow ? Int.max : product, 64)
    }

    /// Whether samples for `ip` may be stored: it already has some, or the endpoint is under
    /// ``ipMetricsLimit(id:name:)``.
    public func acceptsIPMetrics(id: String, name: String, ip: String) async throws -> Bool {
        if try await client.exists(ZNodeLayout.endpoint(id, "\(EndpointNode.ipMetrics)/\(ip)")) != nil { return true }
        let stored = try await sortedChildren(of: ZNodeLayout.endpoint(id, EndpointNode.ipMetrics))
        return try await stored.count < ipMetricsLimit(id: id, name: name)
    }

    /// Removes the samples of IPs that are in neither `keep` (the confirmed and static ones) nor
    /// were posted within `grace`: an instance that is gone, or an address nobody runs.
    ///
    /// - Returns: the IPs whose samples were removed.
    @discardableResult
    public func removeStaleIPMetrics(id: String, keep: Set<String>, grace: Duration) async throws -> [String] {
        let now = Date().timeIntervalSince1970
        var removed: [String] = []
        for ip in try await sortedChildren(of: ZNodeLayout.endpoint(id, EndpointNode.ipMetrics))
        where !keep.contains(ip) {
            let path = ZNodeLayout.endpoint(id, "\(EndpointNode.ipMetrics)/\(ip)")
            guard let stat = try await client.exists(path) else { continue }
            guard now - Double(stat.mtime) / 1000 >= Double(grace.components.seconds) else { continue }
            do {
                try await client.delete(path, version: stat.version)
                removed.append(ip)
            } catch let error as ZooKeeperError where error.code == .noNode || error.code == .badVersion {
                // Removed, or posted again, meanwhile: left as it is.
            }
        }
        return removed
    }

    /// Replaces the endpoint-wide custom metrics.
    /// - Throws: ``StoreError/endpointNotFound(name:)`` when the endpoint is gone.
    public func setCustomMetrics(_ metrics: JSONValue, id: String, name: String) async throws {
        try await writeEndpointNode(id: id, name: name, EndpointNode.customMetrics, metrics)
    }

    /// Removes the endpoint-wide custom metrics; none posted is not an error.
    public func clearCustomMetrics(id: String) async throws {
        try await deleteIfPresent(ZNodeLayout.endpoint(id, EndpointNode.customMetrics))
    }

    /// Removes the samples of one instance IP; none posted is not an error.
    public func clearIPMetrics(id: String, ip: String) async throws {
        try await deleteIfPresent(ZNodeLayout.endpoint(id, "\(EndpointNode.ipMetrics)/\(ip)"))
    }

    private func writeEndpointNode(id: String, name: String, _ child: String, _ value: JSONValue) async throws {
        do {
            try await upsert(ZNodeLayout.endpoint(id, child), data: Array(value.encoded()))
        } catch let error as ZooKeeperError where error.code == .noNode {
            throw StoreError.endpointNotFound(name: name)
        }
    }
}
