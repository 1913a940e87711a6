import Foundation
import ZooKeeper

/// Endpoint and manager event logs (bounded rings, docs/design.md#event-logs).
extension ReactorStore {
    /// Endpoint log entries newer than `since` (seconds since 1970), oldest first.
    public func endpointLog(id: String, since: Double? = nil) async throws -> [LogEntry] {
        try await endpointLogRing(id).entries(since: since)
    }

    /// Appends to an endpoint's log, dropping the oldest entries beyond the ring size.
    /// - Throws: ``StoreError/endpointNotFound(name:)`` when the endpoint is gone.
    public func appendEndpointLog(_ entry: LogEntry, id: String, name: String) async throws {
        try await ensureEndpointDirectory(id: id, name: name, EndpointNode.log)
        do {
            try await endpointLogRing(id).append(entry)
        } catch let error as ZooKeeperError where error.code == .noNode {
            throw StoreError.endpointNotFound(name: name)
        }
    }

    /// Manager log entries newer than `since`, oldest first.
    public func managerLog(name: String, since: Double? = nil) async throws -> [LogEntry] {
        try await managerLogRing(name).entries(since: since)
    }

    /// Appends to a manager's log, dropping the oldest entries beyond the ring size.
    public func appendManagerLog(_ entry: LogEntry, name: String) async throws {
        try await createIfAbsent(ZNodeLayout.managerLog(name), createParents: true)
        try await managerLogRing(name).append(entry)
    }

    private func endpointLogRing(_ id: String) -> EventLogRing {
        EventLogRing(
            client: client, directory: ZNodeLayout.endpoint(id, EndpointNode.log), capacity: limits.endpointLogEntries)
    }

    private func managerLogRing(_ name: String) -> EventLogRing {
        EventLogRing(client: client, directory: ZNodeLayout.managerLog(name), capacity: limits.managerLogEntries)
    }
}
