import ReactorCore
import ZooKeeper

/// Installation-wide settings and statistics.
extension ReactorStore {
    /// The API URL handed to instances, if set.
    public func apiURL() async throws -> String? {
        switch try await json(at: ZNodeLayout.url) {
        case .string(let url): url
        default: nil
        }
    }

    /// Sets the API URL; `nil` clears it.
    public func setAPIURL(_ url: String?) async throws {
        if let url {
            try await upsert(ZNodeLayout.url, data: Array(JSONValue.string(url).encoded()))
        } else {
            try await deleteIfPresent(ZNodeLayout.url)
        }
    }

    /// The admin key's stored hash, when an admin key is set.
    ///
    /// A stored value that is not a key hash (written by hand, damaged) counts as a key nobody
    /// has: admin routes are refused rather than left open. Remove `/reactor/auth` to recover.
    public func adminKeyHash() async throws -> AdminKeyHash? {
        guard let value = try await json(at: ZNodeLayout.auth, from: .cache(keepAbsence: true)) else { return nil }
        guard case .string(let stored) = value, let hash = AdminKeyHash(stored: stored) else { return .unusable }
        return hash
    }

    /// Sets the admin key (stored as a fresh salted hash); `nil` or empty removes it.
    public func setAdminKey(_ key: String?) async throws {
        guard let key, !key.isEmpty else {
            try await deleteIfPresent(ZNodeLayout.auth)
            return
        }
        let hash = AdminKeyHash(key: key)
        try await upsert(ZNodeLayout.auth, data: Array(JSONValue.string(hash.stored).encoded()))
    }

    /// The snapshot of `GET /v1.1/info`.
    public func globalInfo() async throws -> GlobalInfo {
        var active = 0.0
        for id in try await sortedChildren(of: ZNodeLayout.managerActive) {
            if let text = try await text(at: "\(ZNodeLayout.managerActive)/\(id)"),
                let count = Double(text.trimmingWhitespaceAndNewlines()), count.isFinite
            {
                active += count
            }
        }
        var states: [String: Int] = [:]
        for id in try await sortedChildren(of: ZNodeLayout.endpointData) {
            states[try await endpointState(id: id).rawValue, default: 0] += 1
        }
        return GlobalInfo(
            active: active,
            instances: try await sortedChildren(of: ZNodeLayout.ipAddresses).count,
            managers: try await activeManagers().count,
            endpoints: states)
    }
}

/// Installation-wide statistics (`GET /v1.1/info`).
public struct GlobalInfo: Sendable, Hashable {
    /// Sum of the managers' active connection counts.
    public var active: Double
    /// Number of confirmed instance IPs.
    public var instances: Int
    /// Number of running managers.
    public var managers: Int
    /// Endpoints per state: `{"RUNNING": 2, "PAUSED": 1}`.
    public var endpoints: [String: Int]

    /// See the properties for the meaning of each parameter.
    public init(active: Double, instances: Int, managers: Int, endpoints: [String: Int]) {
        self.active = active
        self.instances = instances
        self.managers = managers
        self.endpoints = endpoints
    }

    /// `{"active": n, "instances": n, "managers": n, "endpoints": {state: n}}`
    public var jsonValue: JSONValue {
        .object([
            "active": .number(active),
            "instances": .number(Double(instances)),
            "managers": .number(Double(managers)),
            "endpoints": .object(endpoints.mapValues { .number(Double($0)) }),
        ])
    }
}

extension String {
    func trimmingWhitespaceAndNewlines() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
