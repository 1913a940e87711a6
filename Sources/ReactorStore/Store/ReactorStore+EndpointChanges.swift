import ReactorCore
import ZooKeeper

/// Changes to an endpoint that must not race with other writers: a configuration update guarded
/// by the version it was read at, and a rename in one atomic step.
extension ReactorStore {
    /// The stored configuration of an endpoint with its node version, read from ZooKeeper itself
    /// (not the read cache), so that the version is the one a conditional update must name.
    ///
    /// - Throws: ``StoreError/endpointNotFound(name:)``.
    public func versionedEndpointConfiguration(named name: String) async throws -> (
        configuration: JSONValue, version: Int32
    ) {
        let id = try await endpointID(named: name)
        NodeReadLog.notCovered()
        let node: NodeData
        do {
            node = try await client.get(ZNodeLayout.endpoint(id))
        } catch let error as ZooKeeperError where error.code == .noNode {
            throw StoreError.endpointNotFound(name: name)
        }
        // Data that is not JSON (written by hand) is a configuration without settings, as in
        // `endpointConfiguration(id:name:)`.
        let configuration =
            node.bytes.isEmpty ? .object([:]) : JSONValue(validJSON: node.string) ?? .object([:])
        return (configuration, node.stat.version)
    }

    /// Replaces an existing endpoint's configuration if it is still at `version`.
    ///
    /// - Returns: the configuration's new version.
    /// - Throws: ``StoreError/endpointNotFound(name:)``, or
    ///   ``StoreError/configurationChanged(name:expected:current:)`` when another write came first
    ///   (nothing is written then).
    @discardableResult
    public func updateEndpoint(named name: String, configuration: JSONValue, ifVersion version: Int32) async throws
        -> Int32
    {
        let id = try await endpointID(named: name)
        let path = ZNodeLayout.endpoint(id)
        do {
            return try await client.set(path, data: Array(configuration.encoded()), version: version).version
        } catch let error as ZooKeeperError where error.code == .badVersion {
            let current = try await client.exists(path)?.version
            throw StoreError.configurationChanged(name: name, expected: version, current: current)
        } catch let error as ZooKeeperError where error.code == .noNode {
            throw StoreError.endpointNotFound(name: name)
        }
    }

    /// Gives an endpoint's name `name` over to `newName` in one atomic step: the new name exists
    /// exactly when the old one is gone. The endpoint keeps its uuid, so its configuration,
    /// state, instances, confirmed IPs, metadata and other names stay as they are.
    ///
    /// - Throws: ``StoreError/endpointNotFound(name:)`` for an unknown `name`,
    ///   ``StoreError/nameTaken(_:)`` when `newName` is already a name.
    public func renameEndpoint(_ name: String, to newName: String) async throws {
        guard name != newName else { throw StoreError.nameTaken(newName) }
        let node: NodeData
        do {
            node = try await client.get(ZNodeLayout.endpointName(name))
        } catch let error as ZooKeeperError where error.code == .noNode {
            throw StoreError.endpointNotFound(name: name)
        }
        let id = node.string
        guard !id.isEmpty else { throw StoreError.endpointNotFound(name: name) }
        do {
            try await client.multi([
                .check(path: ZNodeLayout.endpoint(id), version: -1),
                .create(path: ZNodeLayout.endpointName(newName), data: node.bytes),
                // Only the name as read: one re-pointed or deleted meanwhile fails the batch.
                .delete(path: ZNodeLayout.endpointName(name), version: node.stat.version),
            ])
        } catch let error as ZooKeeperError where error.code == .nodeExists {
            throw StoreError.nameTaken(newName)
        } catch let error as ZooKeeperError where error.code == .noNode || error.code == .badVersion {
            throw StoreError.endpointNotFound(name: name)
        }
    }
}
