import ReactorCore
import ZooKeeper

/// The nodes an endpoint's owner publishes and clears. Writes go through `apply`, which the
/// owner fences with its claim (``recordDecision(_:id:through:)`` works the same way).
extension ReactorStore {
    /// Publishes the owner's computed metrics (ephemeral `live_metrics`).
    public func publishLiveMetrics(
        _ metrics: JSONValue, id: String, through apply: ([MultiOperation]) async throws -> Void
    ) async throws {
        try await publishEphemeral(ZNodeLayout.endpoint(id, EndpointNode.liveMetrics), metrics, through: apply)
    }

    /// Publishes the backends with open connections (ephemeral `live_active`).
    public func publishLiveActive(
        _ backends: [String], id: String, through apply: ([MultiOperation]) async throws -> Void
    ) async throws {
        try await publishEphemeral(
            ZNodeLayout.endpoint(id, EndpointNode.liveActive), .array(backends.map(JSONValue.string)), through: apply)
    }

    /// The children of an endpoint an owner deletes with its claim when it gives the endpoint up.
    public static let ownerEphemeralChildren = [EndpointNode.liveMetrics, EndpointNode.liveActive]

    /// The clients with a session drop requested for endpoint `id`; empty when there are none.
    public func sessionDropRequests(id: String) async throws -> [String] {
        try await sortedChildren(of: ZNodeLayout.endpoint(id, EndpointNode.sessionsDrop))
    }

    /// The clients with a session some front door lists for endpoint `id`.
    public func activeSessionClients(id: String) async throws -> Set<String> {
        Set(try await sortedChildren(of: ZNodeLayout.endpoint(id, EndpointNode.sessionsActive)))
    }

    /// When the drop of `client`'s session was requested (ms since 1970), nil when it is gone.
    public func sessionDropRequestTime(id: String, client clientAddress: String) async throws -> Int64? {
        try await client.exists(ZNodeLayout.endpoint(id, "\(EndpointNode.sessionsDrop)/\(clientAddress)"))?.ctime
    }

    /// Clears the drop request of `client`'s session; one already gone is fine.
    public func clearSessionDrop(id: String, client clientAddress: String) async throws {
        try await deleteIfPresent(ZNodeLayout.endpoint(id, "\(EndpointNode.sessionsDrop)/\(clientAddress)"))
    }

    private func publishEphemeral(
        _ path: String, _ value: JSONValue, through apply: ([MultiOperation]) async throws -> Void
    ) async throws {
        let data = Array(value.encoded())
        do {
            try await apply([.set(path: path, data: data)])
        } catch let error as ZooKeeperError where error.code == .noNode {
            try await apply([.create(path: path, data: data, mode: .ephemeral)])
        }
    }
}
