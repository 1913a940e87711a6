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

    /// The admin key's stored hash, when an admin key is set (`/reactor/auth` exists).
    ///
    /// A stored value that is not a key hash (written by hand, damaged) and an empty node count as
    /// a key nobody has (``AdminKeyHash/unusable``): admin routes are refused rather than left
    /// open. Remove `/reactor/auth` to recover (then set a key again).
    public func adminKeyHash() async throws -> AdminKeyHash? {
        try await read(ZNodeLayout.auth, from: .cache(keepAbsence: true)) { bytes in
            guard let bytes else { return nil }
            let text = String(decoding: bytes, as: UTF8.self)
            // The original Reactor and this one store a JSON string; hand-written bare text is read too.
            let value = JSONValue(validJSON: text) ?? .string(text)
            guard case .string(let stored) = value, let hash = AdminKeyHash(stored: stored) else { return .unusable }
            return hash
        }
    }

    /// Sets the admin key (stored as a fresh PBKDF2 derivation); `nil` or empty removes it.
    public func setAdminKey(_ key: String?) async throws {
        guard let key, !key.isEmpty else {
            try await deleteIfPresent(ZNodeLayout.auth)
            return
        }
        let hash = AdminKeyHash(key: key)
        hash.rememberVerified(key)
        try await upsert(ZNodeLayout.auth, data: Array(JSONValue.string(hash.stored).encoded()))
    }

    /// Sets the admin key only when none is set (`/reactor/auth` does not exist), as
    /// `--auth-key-file` does at start; several servers starting at once set it once.
    ///
    /// - Returns: whether this call set it.
    public func setAdminKeyIfAbsent(_ key: String) async throws -> Bool {
        let hash = AdminKeyHash(key: key)
        hash.rememberVerified(key)
        do {
            try await client.create(ZNodeLayout.auth, data: Array(JSONValue.string(hash.stored).encoded()))
            return true
        } catch let error as ZooKeeperError where error.code == .nodeExists {
            return false
        }
    }

    /// Rewrites an admin key stored in an older, fast form (``AdminKeyHash/needsUpgrade``) as a
    /// PBKDF2 derivation, now that `key` is known to be it. Nothing happens when the stored value
    /// changed meanwhile.
    ///
    /// - Returns: whether the stored form was rewritten.
    @discardableResult
    public func upgradeAdminKey(_ key: String, from old: AdminKeyHash) async throws -> Bool {
        guard old.needsUpgrade, old.verifies(key) else { return false }
        let current: NodeData
        do {
            current = try await client.get(ZNodeLayout.auth)
        } catch let error as ZooKeeperError where error.code == .noNode {
            return false
        }
        let text = String(decoding: current.bytes, as: UTF8.self)
        // Read as `auth` above is: a JSON string, or bare text written by hand.
        let value = JSONValue(validJSON: text) ?? .string(text)
        guard case .string(let stored) = value, stored == old.stored else { return false }
        let hash = AdminKeyHash(key: key)
        hash.rememberVerified(key)
        do {
            _ = try await client.set(
                ZNodeLayout.auth, data: Array(JSONValue.string(hash.stored).encoded()), version: current.stat.version)
        } catch let error as ZooKeeperError where error.code == .badVersion || error.code == .noNode {
            return false
        }
        return true
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
