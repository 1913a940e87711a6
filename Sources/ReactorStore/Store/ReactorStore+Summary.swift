import Foundation
import ReactorCore
import ZooKeeper

/// Every endpoint at a glance, for `GET /v1.1/summary`: one answer instead of four requests per
/// endpoint.
extension ReactorStore {
    /// One endpoint name (or alias) as the summary lists it.
    public struct EndpointSummary: Sendable {
        public var name: String
        public var id: String
        /// The endpoint's first name when this name is an alias of it.
        public var aliasOf: String?
        public var state: EndpointState
        /// Instances recorded as active.
        public var instances: Int
        /// The owner's last target; nil before its first decision.
        public var target: Int?
        /// The owner's uuid and name, if one owns it.
        public var manager: String?
        public var managerName: String?
        public var cloud: String?
        public var loadBalancer: String?
        public var url: String?
        public var conditions: [EndpointCondition]

        public var json: JSONValue {
            [
                "name": .string(name), "id": .string(id), "alias_of": aliasOf.map(JSONValue.string) ?? .null,
                "state": .string(state.rawValue), "instances": .number(Double(instances)),
                "target": target.map { .number(Double($0)) } ?? .null,
                "manager": manager.map(JSONValue.string) ?? .null,
                "manager_name": managerName.map(JSONValue.string) ?? .null,
                "cloud": cloud.map(JSONValue.string) ?? .null,
                "loadbalancer": loadBalancer.map(JSONValue.string) ?? .null,
                "url": url.map(JSONValue.string) ?? .null,
                "conditions": .array(conditions.map(\.json)),
            ]
        }
    }

    /// How many endpoints the summary reads at once: each is a handful of reads, pipelined on the
    /// one connection.
    static let summaryConcurrency = 128

    /// Every endpoint name with its state, instance count, target, owner and conditions, sorted by
    /// name. Names deleted while the list is read are left out.
    public func endpointSummaries() async throws -> (endpoints: [EndpointSummary], offers: ManagerOffers) {
        NodeReadLog.notCovered()
        let offers = try await managerOffers()
        let names = try await endpointNames()
        // name → (uuid, when the name was made): the oldest name of a uuid is the endpoint, the
        // others its aliases.
        let named = try await forEach(names) { name -> (String, String, Int64)? in
            guard let data = try await self.nodeData(ZNodeLayout.endpointName(name)), !data.bytes.isEmpty else {
                return nil
            }
            return (name, String(decoding: data.bytes, as: UTF8.self), data.stat.czxid)
        }
        var first: [String: (name: String, made: Int64)] = [:]
        for (name, id, made) in named
        where first[id].map({ made < $0.made || (made == $0.made && name < $0.name) }) ?? true {
            first[id] = (name, made)
        }
        let now = Date().timeIntervalSince1970
        let details = try await forEach(Array(first.keys)) { id in
            try await self.summaryDetails(id: id, offers: offers, now: now)
        }
        let byID = Dictionary(details.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var summaries: [EndpointSummary] = []
        for (name, id, _) in named {
            guard var summary = byID[id] else { continue }
            summary.name = name
            if let original = first[id]?.name, original != name { summary.aliasOf = original }
            summaries.append(summary)
        }
        return (summaries.sorted { $0.name < $1.name }, offers)
    }

    /// One endpoint's summary (its name left to the caller); nil when it is gone.
    private func summaryDetails(id: String, offers: ManagerOffers, now: Double) async throws -> EndpointSummary? {
        async let configuration = nodeData(ZNodeLayout.endpoint(id))
        async let stateData = nodeData(ZNodeLayout.endpoint(id, EndpointNode.state))
        async let managerData = nodeData(ZNodeLayout.endpoint(id, EndpointNode.manager))
        async let instancesStat = client.exists(ZNodeLayout.endpoint(id, EndpointNode.instances))
        async let decisionData = nodeData(ZNodeLayout.endpointDecision(id))
        async let conditionsData = nodeData(ZNodeLayout.endpoint(id, EndpointNode.conditions))
        guard let configuration = try await configuration else { return nil }
        let section = JSONValue(validJSON: Data(configuration.bytes))?.objectValue?[EndpointConfig.section]?.objectValue
        let state = EndpointState(stored: (try await stateData).map { String(decoding: $0.bytes, as: UTF8.self) })
        let manager = (try await managerData).map { String(decoding: $0.bytes, as: UTF8.self) }.flatMap {
            $0.isEmpty ? nil : $0
        }
        let decision = (try await decisionData).flatMap { JSONValue(validJSON: Data($0.bytes)) }
        var conditions = EndpointCondition.list(
            (try await conditionsData).flatMap { JSONValue(validJSON: Data($0.bytes)) })
        if manager == nil {
            // What an owner said holds no more once it let go; what follows from the managers does.
            conditions.removeAll()
        }
        if let balancer = offers.balancerFailed(id: id) { conditions.append(balancer) }
        let cloud = section?["cloud"]?.stringValue
        let loadBalancer = section?["loadbalancer"]?.stringValue
        if let missing = offers.noManager(
            state: state, owned: manager != nil, cloud: cloud, loadBalancer: loadBalancer, now: now)
        {
            conditions.append(missing)
        }
        return EndpointSummary(
            name: "", id: id, state: state, instances: Int((try await instancesStat)?.numChildren ?? 0),
            target: decision?.objectValue?["target"]?.numberValue.map { Int($0) }, manager: manager,
            managerName: manager.flatMap { offers.names[$0] }, cloud: cloud, loadBalancer: loadBalancer,
            url: section?["url"]?.stringValue, conditions: conditions.sorted { $0.kind < $1.kind })
    }

    /// The node's data and stat; nil when it does not exist.
    private func nodeData(_ path: String) async throws -> NodeData? {
        do {
            return try await client.get(path)
        } catch let error as ZooKeeperError where error.code == .noNode {
            return nil
        }
    }

    /// `body` for each of `items`, ``summaryConcurrency`` at a time; nil results are left out.
    private func forEach<Item: Sendable, Result: Sendable>(
        _ items: [Item], _ body: @escaping @Sendable (Item) async throws -> Result?
    ) async throws -> [Result] {
        try await withThrowingTaskGroup(of: Result?.self, returning: [Result].self) { group in
            var results: [Result] = []
            results.reserveCapacity(items.count)
            var next = items.makeIterator()
            for _ in 0..<Self.summaryConcurrency {
                guard let item = next.next() else { break }
                group.addTask { try await body(item) }
            }
            while let result = try await group.next() {
                if let result { results.append(result) }
                if let item = next.next() { group.addTask { try await body(item) } }
            }
            return results
        }
    }
}
