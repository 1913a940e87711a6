import ReactorCore
import ZooKeeper

/// Manager configurations and the managers that are running.
extension ReactorStore {
    /// Names of the stored manager configurations, sorted.
    public func managerConfigNames() async throws -> [String] {
        try await sortedChildren(of: ZNodeLayout.managerConfigs)
    }

    /// A manager's stored configuration.
    /// - Throws: ``StoreError/managerConfigNotFound(_:)``.
    public func managerConfiguration(name: String) async throws -> JSONValue {
        guard let bytes = try await bytes(at: ZNodeLayout.managerConfig(name)) else {
            throw StoreError.managerConfigNotFound(name)
        }
        if bytes.isEmpty { return .object([:]) }
        // Data that is not JSON (written by hand) is a configuration without settings.
        return JSONValue(validJSON: String(decoding: bytes, as: UTF8.self)) ?? .object([:])
    }

    /// Creates or replaces a manager's configuration.
    /// - Returns: whether it was created.
    @discardableResult
    public func setManagerConfiguration(_ configuration: JSONValue, name: String) async throws -> Bool {
        let data = Array(configuration.encoded())
        if try await createIfAbsent(ZNodeLayout.managerConfig(name), data: data) { return true }
        try await upsert(ZNodeLayout.managerConfig(name), data: data)
        return false
    }

    /// Creates a manager's configuration unless it exists.
    /// - Returns: whether it was created (`false`: a configuration exists and was left alone).
    public func createManagerConfiguration(_ configuration: JSONValue, name: String) async throws -> Bool {
        try await createIfAbsent(ZNodeLayout.managerConfig(name), data: Array(configuration.encoded()))
    }

    /// Deletes a manager's configuration.
    /// - Throws: ``StoreError/managerConfigNotFound(_:)``.
    public func deleteManagerConfiguration(name: String) async throws {
        guard try await deleteIfPresent(ZNodeLayout.managerConfig(name)) else {
            throw StoreError.managerConfigNotFound(name)
        }
    }

    /// The uuids of the running managers, sorted.
    public func activeManagers() async throws -> [String] {
        try await sortedChildren(of: ZNodeLayout.managerKeys)
    }

    /// What a running manager registered: `{"name", "keys", "loadbalancers", "clouds", ...}`.
    /// - Throws: ``StoreError/managerNotActive(_:)``.
    public func activeManager(id: String) async throws -> JSONValue {
        guard let info = try await json(at: ZNodeLayout.managerKey(id)) else {
            throw StoreError.managerNotActive(id)
        }
        return info
    }

    /// The addresses running managers registered under: their `name` and any `ips`, when
    /// those are IP addresses. Used to decide whose `X-Forwarded-For` to trust.
    public func activeManagerAddresses() async throws -> Set<IPAddress> {
        var addresses: Set<IPAddress> = []
        for id in try await activeManagers() {
            guard case .object(let info) = try await json(at: ZNodeLayout.managerKey(id)) else { continue }
            var candidates = info["ips"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if let name = info["name"]?.stringValue { candidates.append(name) }
            addresses.formUnion(candidates.compactMap(IPAddress.init))
        }
        return addresses
    }
}
