import ReactorCore
import ZooKeeper

/// Where a read of the store takes its data from.
enum ReadSource {
    /// ZooKeeper itself.
    case zookeeper
    /// The ``NodeCache`` when the store has one (else ZooKeeper); see
    /// ``NodeCache/value(at:keepAbsence:decode:)`` for `keepAbsence`.
    case cache(keepAbsence: Bool)
}

/// Small building blocks over the raw client, shared by the typed operations.
extension ReactorStore {
    /// The node's data, or `nil` when it does not exist.
    func bytes(at path: String) async throws -> [UInt8]? {
        NodeReadLog.notCovered()
        do {
            return try await client.get(path).bytes
        } catch let error as ZooKeeperError where error.code == .noNode {
            return nil
        }
    }

    /// The node's data as `decode` makes it (`decode` gets `nil` for an absent node), read from
    /// `source`. Through the cache, the decoded value is kept until the node changes.
    func read<Value: Sendable>(
        _ path: String, from source: ReadSource, decode: @Sendable ([UInt8]?) throws -> Value
    ) async throws -> Value {
        guard case .cache(let keepAbsence) = source, let cache else { return try decode(try await bytes(at: path)) }
        return try await cache.value(at: path, keepAbsence: keepAbsence, decode: decode)
    }

    /// The node's data as UTF-8 text, or `nil` when it does not exist.
    /// - Parameter source: where to read; default ZooKeeper.
    func text(at path: String, from source: ReadSource = .zookeeper) async throws -> String? {
        try await read(path, from: source) { bytes in bytes.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// The node's data as JSON, or `nil` when it does not exist. Data that is not JSON (written by
    /// hand or by an older tool) is returned as a JSON string rather than failing the request.
    /// - Parameter source: where to read; default ZooKeeper.
    func json(at path: String, from source: ReadSource = .zookeeper) async throws -> JSONValue? {
        try await read(path, from: source) { bytes in
            guard let bytes, !bytes.isEmpty else { return nil }
            // Data that is not JSON (written by hand) is its text.
            return JSONValue(validJSON: String(decoding: bytes, as: UTF8.self))
                ?? .string(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// The names of the node's children, sorted; empty when the node does not exist.
    func sortedChildren(of path: String) async throws -> [String] {
        NodeReadLog.notCovered()
        do {
            return try await client.children(path).sorted()
        } catch let error as ZooKeeperError where error.code == .noNode {
            return []
        }
    }

    /// An address lease of a cloud: `<endpoint uuid>/<instance id>`; nil when there is none (or
    /// the node holds something else).
    func lease(at path: String) async throws -> (endpointID: String, instanceID: String)? {
        guard let lease = try await text(at: path) else { return nil }
        let parts = lease.split(separator: "/")
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// Removes a folder of records once it holds none; one that gained a child meanwhile stays.
    func removeFolderIfEmpty(_ path: String) async throws {
        guard try await sortedChildren(of: path).isEmpty else { return }
        do {
            try await deleteIfPresent(path)
        } catch let error as ZooKeeperError where error.code == .notEmpty {
            // A launch recorded an instance meanwhile: the folder stays.
        }
    }

    /// Creates the node unless it exists (the ZooKeeper recipe).
    /// - Returns: whether this call created it.
    @discardableResult
    func createIfAbsent(_ path: String, data: [UInt8] = [], createParents: Bool = false) async throws -> Bool {
        try await client.createIfAbsent(path, data: data, createParents: createParents)
    }

    /// Sets the node's data, creating the node when it does not exist (the ZooKeeper recipe).
    /// - Throws: `ZooKeeperError` `noNode` when the parent does not exist.
    func upsert(_ path: String, data: [UInt8]) async throws {
        try await client.upsert(path, data: data)
    }

    /// Deletes the node; one that is already gone is not an error (the ZooKeeper recipe).
    /// - Returns: whether this call deleted it.
    @discardableResult
    func deleteIfPresent(_ path: String) async throws -> Bool {
        try await client.deleteIfPresent(path)
    }
}
