import Foundation
import ReactorCore
import ZooKeeper

/// Endpoint names, aliases and configurations.
///
/// An endpoint is its data node `/reactor/endpoints/data/<uuid>`; its names (the first one and
/// every alias) are nodes under `/reactor/endpoints/names` holding that uuid.
extension ReactorStore {
    /// Every endpoint name and alias, sorted.
    public func endpointNames() async throws -> [String] {
        try await sortedChildren(of: ZNodeLayout.endpointNames)
    }

    /// The uuid an endpoint name (or alias) refers to.
    /// - Throws: ``StoreError/endpointNotFound(name:)``.
    public func endpointID(named name: String) async throws -> String {
        guard let id = try await text(at: ZNodeLayout.endpointName(name), from: .cache(keepAbsence: false)), !id.isEmpty
        else {
            throw StoreError.endpointNotFound(name: name)
        }
        return id
    }

    /// The stored configuration of an endpoint (canonical JSON), or `{}` when none was stored.
    /// - Throws: ``StoreError/endpointNotFound(name:)`` when the data node is gone.
    public func endpointConfiguration(id: String, name: String) async throws -> JSONValue {
        let configuration: JSONValue? = try await read(ZNodeLayout.endpoint(id), from: .cache(keepAbsence: false)) {
            bytes in
            guard let bytes else { return nil }
            if bytes.isEmpty { return .object([:]) }
            // Data that is not JSON (written by hand) is a configuration without settings.
            return JSONValue(validJSON: String(decoding: bytes, as: UTF8.self)) ?? .object([:])
        }
        guard let configuration else { throw StoreError.endpointNotFound(name: name) }
        return configuration
    }

    /// Creates an endpoint: its name and its data node in one atomic step.
    ///
    /// - Returns: the new endpoint's uuid.
    /// - Throws: ``StoreError/nameTaken(_:)`` when the name exists.
    @discardableResult
    public func createEndpoint(named name: String, configuration: JSONValue) async throws -> String {
        let id = UUID().uuidString.lowercased()
        do {
            try await client.multi([
                .create(path: ZNodeLayout.endpointName(name), data: Array(id.utf8)),
                .create(path: ZNodeLayout.endpoint(id), data: Array(configuration.encoded())),
                // Claims bump its version (the owner's epoch); made here, it is never made again.
                .create(path: ZNodeLayout.endpoint(id, EndpointNode.managerEpoch)),
            ])
        } catch let error as ZooKeeperError where error.code == .nodeExists {
            throw StoreError.nameTaken(name)
        }
        return id
    }

    /// Creates the endpoint, or replaces the configuration of the existing one.
    ///
    /// - Returns: `true` when the endpoint was created.
    @discardableResult
    public func createOrUpdateEndpoint(named name: String, configuration: JSONValue) async throws -> Bool {
        let data = Array(configuration.encoded())
        for _ in 0..<5 {
            do {
                try await createEndpoint(named: name, configuration: configuration)
                return true
            } catch StoreError.nameTaken {
                let id: String
                do {
                    id = try await endpointID(named: name)
                } catch StoreError.endpointNotFound {
                    continue  // deleted meanwhile: try creating again
                }
                do {
                    try await client.set(ZNodeLayout.endpoint(id), data: data)
                    return false
                } catch let error as ZooKeeperError where error.code == .noNode {
                    // A name whose data was lost: give it its data back.
                    if try await createIfAbsent(ZNodeLayout.endpoint(id), data: data) { return false }
                }
            }
        }
        throw StoreError.nameTaken(name)
    }

    /// Adds another name for an existing endpoint.
    ///
    /// - Throws: ``StoreError/endpointNotFound(name:)`` for an unknown `name`,
    ///   ``StoreError/nameTaken(_:)`` when `alias` is already a name.
    public func addAlias(_ alias: String, to name: String) async throws {
        let id = try await endpointID(named: name)
        do {
            try await client.multi([
                .check(path: ZNodeLayout.endpoint(id), version: -1),
                .create(path: ZNodeLayout.endpointName(alias), data: Array(id.utf8)),
            ])
        } catch let error as ZooKeeperError where error.code == .nodeExists {
            throw StoreError.nameTaken(alias)
        } catch let error as ZooKeeperError where error.code == .noNode {
            throw StoreError.endpointNotFound(name: name)
        }
    }

    /// Removes one name of an endpoint; removing its last name removes the endpoint with all its
    /// data, and releases the IPs confirmed for it.
    ///
    /// - Returns: whether the endpoint itself was removed (this was its last name).
    /// - Throws: ``StoreError/endpointNotFound(name:)``.
    @discardableResult
    public func deleteEndpoint(named name: String) async throws -> Bool {
        let node: NodeData
        do {
            node = try await client.get(ZNodeLayout.endpointName(name))
        } catch let error as ZooKeeperError where error.code == .noNode {
            throw StoreError.endpointNotFound(name: name)
        }
        do {
            try await client.delete(ZNodeLayout.endpointName(name), version: node.stat.version)
        } catch let error as ZooKeeperError where error.code == .noNode || error.code == .badVersion {
            throw StoreError.endpointNotFound(name: name)
        }
        CrashPoint.reach("endpoint-delete:name-removed")
        let id = node.string
        guard !id.isEmpty else { return true }
        for other in try await endpointNames() where try await text(at: ZNodeLayout.endpointName(other)) == id {
            return false
        }
        try await removeEndpointData(id: id)
        return true
    }

    /// Removes what is left of an endpoint no name refers to any more: the addresses confirmed for
    /// it (`ip_addresses/<ip>` naming it), then its data node with everything under it.
    ///
    /// The second half of a delete, and what a manager does for a delete that stopped half-way (the
    /// API died after removing the name): no step leaves anything another step needs.
    public func removeEndpointData(id: String) async throws {
        for ip in try await confirmedIPs(id: id) {
            if try await text(at: ZNodeLayout.ipAddress(ip)) == id {
                try await deleteIfPresent(ZNodeLayout.ipAddress(ip))
            }
        }
        CrashPoint.reach("endpoint-delete:addresses-removed")
        try await client.deleteRecursive(ZNodeLayout.endpoint(id))
    }

    /// Whether some name (or alias) refers to endpoint `id`, read from ZooKeeper name by name.
    public func isNamed(id: String) async throws -> Bool {
        for name in try await endpointNames() where try await text(at: ZNodeLayout.endpointName(name)) == id {
            return true
        }
        return false
    }

    /// Makes sure the directory `child` exists under an endpoint's data node.
    /// - Throws: ``StoreError/endpointNotFound(name:)`` when the endpoint is gone.
    func ensureEndpointDirectory(id: String, name: String, _ child: String) async throws {
        var path = ZNodeLayout.endpoint(id)
        for component in child.split(separator: "/") {
            path += "/\(component)"
            do {
                try await createIfAbsent(path)
            } catch let error as ZooKeeperError where error.code == .noNode {
                throw StoreError.endpointNotFound(name: name)
            }
        }
    }
}
