import ReactorCore
import ZooKeeper

/// An endpoint's metadata: free-form JSON values under keys of its choosing
/// (`/reactor/endpoints/data/<uuid>/metadata/<key>`, docs/design.md#zookeeper-layout), written by operators and by
/// the endpoint's own instances.
///
/// The values live under the endpoint's data node, so they follow the endpoint: renaming or
/// aliasing keeps them, deleting the endpoint removes them.
extension ReactorStore {
    /// How many keys one endpoint may hold: instances can write metadata, so what one endpoint
    /// can put into ZooKeeper is bounded.
    public static let maximumMetadataKeys = 256

    /// In the calls below `name` is how the request named the endpoint, for messages (`web`,
    /// `the endpoint of 10.0.0.5`).

    /// The endpoint's metadata keys, sorted.
    public func metadataKeys(id: String) async throws -> [String] {
        try await sortedChildren(of: ZNodeLayout.endpoint(id, EndpointNode.metadata))
    }

    /// The value stored under `key`.
    /// - Throws: ``StoreError/metadataKeyNotFound(name:key:)`` when there is none.
    public func metadata(id: String, name: String, key: String) async throws -> JSONValue {
        let path = ZNodeLayout.endpointMetadata(id, key: key)
        guard let bytes = try await bytes(at: path) else {
            throw StoreError.metadataKeyNotFound(name: name, key: key)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        // Data that is not JSON (written by hand or by the original Reactor) is its text.
        return JSONValue(validJSON: text) ?? .string(text)
    }

    /// Stores `value` under `key`, replacing what was there; one write of one node, so a reader
    /// sees the old value or the new one.
    ///
    /// - Throws: ``StoreError/endpointNotFound(name:)`` when the endpoint is gone,
    ///   ``StoreError/tooManyMetadataKeys(name:limit:)`` for a new key past
    ///   ``maximumMetadataKeys``.
    public func setMetadata(_ value: JSONValue, id: String, name: String, key: String) async throws {
        let path = ZNodeLayout.endpointMetadata(id, key: key)
        let data = Array(value.encoded())
        do {
            _ = try await client.set(path, data: data)
            return
        } catch let error as ZooKeeperError where error.code == .noNode {
            // A new key: counted against the bound below.
        }
        guard try await metadataKeys(id: id).count < Self.maximumMetadataKeys else {
            throw StoreError.tooManyMetadataKeys(name: name, limit: Self.maximumMetadataKeys)
        }
        try await ensureEndpointDirectory(id: id, name: name, EndpointNode.metadata)
        do {
            try await upsert(path, data: data)
        } catch let error as ZooKeeperError where error.code == .noNode {
            throw StoreError.endpointNotFound(name: name)
        }
    }

    /// Removes the value stored under `key`.
    /// - Throws: ``StoreError/metadataKeyNotFound(name:key:)`` when there is none.
    public func deleteMetadata(id: String, name: String, key: String) async throws {
        guard try await deleteIfPresent(ZNodeLayout.endpointMetadata(id, key: key)) else {
            throw StoreError.metadataKeyNotFound(name: name, key: key)
        }
    }
}
