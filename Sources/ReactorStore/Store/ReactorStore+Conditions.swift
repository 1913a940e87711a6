import Foundation
import ReactorCore
import ZooKeeper

/// An endpoint's conditions (its current problems): what its owner stores under the endpoint, what
/// the front doors publish under their manager, and what follows from the running managers.
extension ReactorStore {
    /// Stores the owner's conditions of endpoint `id` (`conditions`), through `apply` (the owner's
    /// fence).
    public func recordConditions(
        _ conditions: EndpointConditions, id: String, through apply: ([MultiOperation]) async throws -> Void
    ) async throws {
        let path = ZNodeLayout.endpoint(id, EndpointNode.conditions)
        let data = Array(conditions.json.encoded())
        do {
            try await apply([.set(path: path, data: data)])
        } catch let error as ZooKeeperError where error.code == .noNode {
            try await apply([.create(path: path, data: data)])
        }
    }

    /// The conditions the owner of endpoint `id` stored; nil when it has no conditions node.
    public func storedOwnerConditions(id: String) async throws -> [EndpointCondition]? {
        guard let json = try await json(at: ZNodeLayout.endpoint(id, EndpointNode.conditions)) else { return nil }
        return EndpointCondition.list(json)
    }

    /// What the running managers offer, read once for many endpoints.
    public struct ManagerOffers: Sendable {
        /// uuid → name.
        public var names: [String: String] = [:]
        public var clouds: Set<String> = []
        public var loadBalancers: Set<String> = []
        /// Front-door problems by endpoint uuid: (manager name, reason, since, last seen).
        public var balancerProblems: [String: [(manager: String, reason: String, since: Double, lastSeen: Double)]] =
            [:]

        public init() {}

        /// The condition that follows from what the managers offer for an endpoint in `state` on
        /// `cloud` behind `loadBalancer` that no manager owns; nil when there is none.
        public func noManager(
            state: EndpointState, owned: Bool, cloud: String?, loadBalancer: String?, now: Double
        ) -> EndpointCondition? {
            guard state == .running, !owned else { return nil }
            let reason: String
            if names.isEmpty {
                reason = "no manager is running"
            } else if let cloud, !cloud.isEmpty, !clouds.contains(cloud) {
                reason = "no running manager offers cloud '\(cloud)'"
            } else if let loadBalancer, !loadBalancer.isEmpty, !loadBalancers.contains(loadBalancer) {
                reason = "no running manager offers loadbalancer '\(loadBalancer)'"
            } else {
                return nil  // a manager is about to claim it
            }
            return EndpointCondition(kind: .noManager, reason: reason, since: now, lastSeen: now, source: "api")
        }

        /// The front doors' problems with endpoint `id` as one condition; nil when none has any.
        public func balancerFailed(id: String) -> EndpointCondition? {
            guard let problems = balancerProblems[id], !problems.isEmpty else { return nil }
            let sorted = problems.sorted { $0.manager < $1.manager }
            return EndpointCondition(
                kind: .balancerFailed,
                reason: sorted.map { "\($0.manager): \($0.reason)" }.joined(separator: "; "),
                since: sorted.map(\.since).min() ?? 0, lastSeen: sorted.map(\.lastSeen).max() ?? 0,
                source: sorted.map(\.manager).joined(separator: ","))
        }
    }

    /// The running managers: their names, what they offer and their front doors' problems.
    public func managerOffers() async throws -> ManagerOffers {
        var offers = ManagerOffers()
        for id in try await activeManagers() {
            guard case .object(let info)? = try await json(at: ZNodeLayout.managerKey(id)) else { continue }
            let name = info["name"]?.stringValue ?? id
            offers.names[id] = name
            offers.clouds.formUnion(info["clouds"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            offers.loadBalancers.formUnion(info["loadbalancers"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            guard case .object(let problems)? = try await json(at: "\(ZNodeLayout.managerProblems)/\(id)") else {
                continue
            }
            for (endpoint, problem) in problems {
                guard let reason = problem.objectValue?["reason"]?.stringValue else { continue }
                let since = problem.objectValue?["since"]?.numberValue ?? 0
                let lastSeen = problem.objectValue?["last_seen"]?.numberValue ?? since
                offers.balancerProblems[endpoint, default: []].append((name, reason, since, lastSeen))
            }
        }
        return offers
    }

    /// Every condition of endpoint `id`: its owner's, its front doors' and, for a running endpoint
    /// no manager owns, why none does (as ``endpointSummaries()`` gives them).
    /// - Throws: ``StoreError/endpointNotFound(name:)`` when the endpoint is gone.
    public func endpointConditions(id: String, name: String, offers: ManagerOffers) async throws -> [EndpointCondition]
    {
        guard let summary = try await summaryDetails(id: id, offers: offers, now: Date().timeIntervalSince1970) else {
            throw StoreError.endpointNotFound(name: name)
        }
        return summary.conditions
    }
}
