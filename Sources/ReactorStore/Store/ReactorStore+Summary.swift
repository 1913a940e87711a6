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
    ///
    /// Each endpoint's nodes are read through the store's cache when it has one (the API's), so a
    /// second summary reads only what changed since the first, plus each endpoint's instance count.
    public func endpointSummaries() async throws -> (endpoints: [EndpointSummary], offers: ManagerOffers) {
        NodeReadLog.notCovered()
        let offers = try await managerOffers()
        let names = try await endpointNames()
        let named = try await forEach(names) { name -> (String, String)? in
            try await self.endpointIDIfNamed(name).map { (name, $0) }
        }
        // The oldest name of a uuid is the endpoint, the others its aliases: only names that share
        // a uuid are told apart, by when they were made.
        var namesByID: [String: [String]] = [:]
        for (name, id) in named { namesByID[id, default: []].append(name) }
        var first: [String: String] = [:]
        for (id, list) in namesByID {
            guard list.count > 1 else {
                first[id] = list[0]
                continue
            }
            var made: [(name: String, czxid: Int64)] = []
            for name in list {
                made.append((name, try await client.exists(ZNodeLayout.endpointName(name))?.czxid ?? .max))
            }
            first[id] = made.min { ($0.czxid, $0.name) < ($1.czxid, $1.name) }?.name
        }
        let now = Date().timeIntervalSince1970
        let details = try await forEach(Array(namesByID.keys)) { id in
            try await self.summaryDetails(id: id, offers: offers, now: now)
        }
        let byID = Dictionary(details.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var summaries: [EndpointSummary] = []
        for (name, id) in named {
            guard var summary = byID[id] else { continue }
            summary.name = name
            if let original = first[id], original != name { summary.aliasOf = original }
            summaries.append(summary)
        }
        return (summaries.sorted { $0.name < $1.name }, offers)
    }

    /// One endpoint's summary (its name left to the caller); nil when it is gone.
    func summaryDetails(id: String, offers: ManagerOffers, now: Double) async throws -> EndpointSummary? {
        let cached = ReadSource.cache(keepAbsence: true)
        async let configuration = json(at: ZNodeLayout.endpoint(id), from: .cache(keepAbsence: false))
        async let stateText = text(at: ZNodeLayout.endpoint(id, EndpointNode.state), from: cached)
        async let managerText = text(at: ZNodeLayout.endpoint(id, EndpointNode.manager), from: cached)
        async let instancesStat = client.exists(ZNodeLayout.endpoint(id, EndpointNode.instances))
        guard let configuration = try await configuration else { return nil }
        let section = configuration.objectValue?[EndpointConfig.section]?.objectValue
        let state = EndpointState(stored: try await stateText)
        let manager = (try await managerText).flatMap { $0.isEmpty ? nil : $0 }
        // The owner's nodes, only while it owns the endpoint (what an owner said holds no more once
        // it let go), and without watching for their creation: a watch on a node that is never
        // made (the endpoint deleted first) would stay with the session for good. An owner writes
        // its conditions node when it takes the endpoint, so the node is there to be watched.
        var conditions: [EndpointCondition] = []
        var decision: JSONValue?
        if manager != nil {
            let existing = ReadSource.cache(keepAbsence: false)
            async let decided = json(at: ZNodeLayout.endpointDecision(id), from: existing)
            async let stored = json(at: ZNodeLayout.endpoint(id, EndpointNode.conditions), from: existing)
            decision = try await decided
            conditions = EndpointCondition.list(try await stored)
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

    /// The other endpoints whose configuration serves `url` (their first names, sorted): a new
    /// endpoint with that URL pools its backends with theirs.
    public func endpointsServing(url: String, except name: String) async throws -> [String] {
        // Through the cache (the API's): a create reads what earlier summaries and requests kept.
        let names = try await endpointNames().filter { $0 != name }
        let matches = try await forEach(names) { other -> (String, String)? in
            guard let id = try await self.endpointIDIfNamed(other),
                let configuration = try await self.json(at: ZNodeLayout.endpoint(id), from: .cache(keepAbsence: false)),
                configuration.objectValue?[EndpointConfig.section]?.objectValue?["url"]?.stringValue == url
            else { return nil }
            return (other, id)
        }
        let ownID = try await endpointIDIfNamed(name)
        var seen = Set<String>()
        return matches.sorted { $0.0 < $1.0 }.filter { $0.1 != ownID && seen.insert($0.1).inserted }.map(\.0)
    }

    /// The uuid `name` refers to, through the cache; nil when the name is gone.
    private func endpointIDIfNamed(_ name: String) async throws -> String? {
        guard let id = try await text(at: ZNodeLayout.endpointName(name), from: .cache(keepAbsence: false)),
            !id.isEmpty
        else { return nil }
        return id
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
