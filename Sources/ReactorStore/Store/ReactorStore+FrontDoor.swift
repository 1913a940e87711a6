import Foundation
import ReactorCore
import ZooKeeper

/// What every manager publishes as a front door (ephemeral, under its uuid) and what owners read
/// back: balancer metrics, held connections, active totals and each endpoint's sessions.
extension ReactorStore {
    /// The kinds of report a front door publishes under `managers/`.
    public enum FrontDoorReport: Sendable, CaseIterable {
        /// `managers/metrics/<uuid>`: `{"ip:port": [{metric: [weight, value]}]}`.
        case metrics
        /// `managers/pending/<uuid>`: `{url: held connections}`.
        case pending
        /// `managers/active/<uuid>`: the active connection total.
        case active
        /// `managers/problems/<uuid>`: `{endpoint uuid: {"reason", "since", "last_seen"}}`, what
        /// keeps this host's balancers from serving an endpoint.
        case problems

        var directory: String {
            switch self {
            case .metrics: ZNodeLayout.managerMetrics
            case .pending: ZNodeLayout.managerPending
            case .active: ZNodeLayout.managerActive
            case .problems: ZNodeLayout.managerProblems
            }
        }
    }

    /// Publishes manager `managerID`'s report of `kind` (ephemeral, created when missing).
    public func publishFrontDoorReport(_ kind: FrontDoorReport, _ value: JSONValue, managerID: String) async throws {
        try await client.upsert(
            "\(kind.directory)/\(managerID)", data: Array(value.encoded()), mode: .ephemeral, createParents: true)
    }

    /// Every manager's report of `kind` that reads as JSON; reports gone since the list was read,
    /// or not JSON, are left out.
    public func frontDoorReports(_ kind: FrontDoorReport) async throws -> [JSONValue] {
        var reports: [JSONValue] = []
        for id in try await sortedChildren(of: kind.directory) {
            guard let bytes = try await bytes(at: "\(kind.directory)/\(id)"),
                let json = JSONValue(validJSON: Data(bytes))  // not JSON: no report
            else { continue }
            reports.append(json)
        }
        return reports
    }

    /// Endpoint `id`'s confirmed IPs with a watch that fires when they change.
    public func watchConfirmedIPs(id: String) async throws -> (ips: [String], watch: Watch) {
        let (ips, watch) = try await client.childrenWatching(ZNodeLayout.endpoint(id, EndpointNode.confirmedIPs))
        return (ips, watch)
    }

    /// Lists `client`'s session to `backend` for endpoint `id` (ephemeral `sessions/active/<client>`).
    /// One listed already (by another front door for the same client) is fine.
    public func listSession(id: String, client clientAddress: String, backend: String) async throws {
        try await client.createIfAbsent(
            ZNodeLayout.endpoint(id, "\(EndpointNode.sessionsActive)/\(clientAddress)"), data: Array(backend.utf8),
            mode: .ephemeral, createParents: true)
    }

    /// Removes `client`'s session from endpoint `id`'s list; one already gone is fine.
    public func unlistSession(id: String, client clientAddress: String) async throws {
        try await deleteIfPresent(ZNodeLayout.endpoint(id, "\(EndpointNode.sessionsActive)/\(clientAddress)"))
    }
}
