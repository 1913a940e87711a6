import Logging
import Synchronization

/// An async/await client for Apache ZooKeeper on the C library (`libzookeeper-mt`).
///
/// Calls are handed to the library without blocking; the library's completion thread resumes
/// the waiting task. Connection loss is retried by the library (and by ``RetryPolicy`` around
/// calls); session expiry is reported on ``connectionStates()`` and a new session is opened.
///
/// ```swift
/// let zk = try await ZooKeeperClient.connect(.init(connectString: "127.0.0.1:2181/reactor"))
/// try await zk.create("/endpoints", data: Array("{}".utf8))
/// let (node, watch) = try await zk.getWatching("/endpoints")
/// let change = try await watch.event()
/// await zk.close()
/// ```
public final class ZooKeeperClient: Sendable {
    let core: ClientCore

    /// The configuration the client was made with.
    public var configuration: Configuration { core.configuration }

    /// Opens a client and waits for its first session.
    ///
    /// - Parameter configuration: the ensemble and session settings.
    /// - Throws: ``ZooKeeperError`` `connectTimeout` when no server answers within
    ///   `configuration.connectTimeout`; `badArguments` when the connect string is unusable.
    public static func connect(_ configuration: Configuration) async throws -> ZooKeeperClient {
        let client = try ZooKeeperClient(configuration: configuration)
        do {
            try await client.core.waitConnected()
        } catch {
            await client.close()
            throw error
        }
        return client
    }

    /// Opens a client without waiting; operations made before the session is up are queued by
    /// the library (and fail with `connectionLoss` if no server is reached).
    public init(configuration: Configuration) throws {
        core = try ClientCore(configuration: configuration)
    }

    deinit {
        let core = core
        Task { await core.close() }
    }

    /// Closes the session (its ephemeral nodes disappear at once) and the client. Pending calls
    /// and watches fail with `clientClosed`. Calling it again does nothing.
    public func close() async {
        await core.close()
    }

    // MARK: State

    /// The current connection state.
    public var state: ConnectionState { core.state }

    /// A stream of connection state changes, starting with the current state; it ends when the
    /// client is closed. Each call returns an independent stream.
    public func connectionStates() -> AsyncStream<ConnectionState> {
        core.subscribe()
    }

    /// The id of the current session (0 before the first connection).
    public func sessionID() throws -> Int64 {
        try core.sessionID()
    }

    /// How many watches this client has set that have not fired yet (nor ended with its session):
    /// what it costs the servers, which keep one entry per watch.
    public var registeredWatches: Int { WatchRegistry.count(client: core.id) }

    /// How many calls this client has made: reads (get, exists, children, with or without a
    /// watch) and writes (create, set, delete, multi). For statistics and benchmarks.
    public var operationCounts: (reads: Int, writes: Int) {
        (core.reads.load(ordering: .relaxed), core.writes.load(ordering: .relaxed))
    }

    /// `host:port` of the server the client is connected to, if connected.
    public func connectedServer() throws -> String? {
        try core.connectedServer()
    }

    // MARK: Writes

    /// Creates a node.
    ///
    /// - Parameters:
    ///   - path: the node's path; for sequential modes, the prefix of its name (may end in `/`).
    ///   - data: the node's data (default empty).
    ///   - mode: persistent, ephemeral, or their sequential forms (default `.persistent`).
    ///   - createParents: create missing ancestors as empty persistent nodes (default `false`).
    /// - Returns: the path actually created (with the sequence number, for sequential modes).
    @discardableResult
    public func create(
        _ path: String, data: [UInt8] = [], mode: CreateMode = .persistent, createParents: Bool = false
    ) async throws -> String {
        try ZNodePath.validate(path, allowTrailingSlash: mode.isSequential)
        try checkSize(data, path: path)
        do {
            return try await requestCreate(path, data: data, mode: mode)
        } catch let error as ZooKeeperError where error.code == .noNode && createParents {
            try await createAncestors(of: path)
            return try await create(path, data: data, mode: mode, createParents: false)
        }
    }

    /// Sets a node's data.
    ///
    /// - Parameters:
    ///   - version: the version the node must be at (compare-and-set); -1 (default) for any.
    /// - Returns: the node's new metadata.
    /// - Throws: ``ZooKeeperError`` `badVersion` when the node changed since `version`.
    @discardableResult
    public func set(_ path: String, data: [UInt8], version: Int32 = -1) async throws -> NodeStat {
        try ZNodePath.validate(path)
        try checkSize(data, path: path)
        return try await requestSet(path, data: data, version: version)
    }

    /// Deletes a node that has no children.
    ///
    /// - Parameter version: the version the node must be at; -1 (default) for any.
    public func delete(_ path: String, version: Int32 = -1) async throws {
        try ZNodePath.validate(path)
        try await requestDelete(path, version: version)
    }

    /// Applies all the operations or none of them.
    ///
    /// - Returns: one result per operation, in order.
    /// - Throws: ``ZooKeeperError`` of the first rejected step, with ``ZooKeeperError/failedStep``.
    @discardableResult
    public func multi(_ operations: [MultiOperation]) async throws -> [MultiResult] {
        if operations.isEmpty { return [] }
        for operation in operations {
            switch operation {
            case .create(let path, let data, let mode):
                try ZNodePath.validate(path, allowTrailingSlash: mode.isSequential)
                try checkSize(data, path: path)
            case .set(let path, let data, _):
                try ZNodePath.validate(path)
                try checkSize(data, path: path)
            case .delete(let path, _), .check(let path, _):
                try ZNodePath.validate(path)
            }
        }
        return try await requestMulti(operations)
    }

    // MARK: Reads

    /// Reads a node's data and metadata.
    /// - Throws: ``ZooKeeperError`` `noNode` when the node does not exist.
    public func get(_ path: String) async throws -> NodeData {
        try ZNodePath.validate(path)
        return try await requestGet(path)
    }

    /// Reads a node and sets a watch on its data (fires on change or deletion).
    public func getWatching(_ path: String) async throws -> (NodeData, Watch) {
        try ZNodePath.validate(path)
        return try await requestGetWatching(path)
    }

    /// The node's metadata, or nil when it does not exist.
    public func exists(_ path: String) async throws -> NodeStat? {
        try ZNodePath.validate(path)
        return try await requestExists(path)
    }

    /// Checks a node and sets a watch on it: fires when it is created, changed or deleted.
    public func existsWatching(_ path: String) async throws -> (NodeStat?, Watch) {
        try ZNodePath.validate(path)
        return try await requestExistsWatching(path)
    }

    /// The names of a node's children (unsorted, as the server returns them).
    public func children(_ path: String) async throws -> [String] {
        try ZNodePath.validate(path)
        return try await requestChildren(path)
    }

    /// The names of a node's children, and a watch that fires when the list changes or the node
    /// is deleted.
    public func childrenWatching(_ path: String) async throws -> ([String], Watch) {
        try ZNodePath.validate(path)
        return try await requestChildrenWatching(path)
    }

    // MARK: Plumbing

    private func checkSize(_ data: [UInt8], path: String) throws(ZooKeeperError) {
        let limit = core.configuration.maxDataSize
        if data.count > limit {
            throw ZooKeeperError(
                .dataTooLarge, path: path,
                message: "\(data.count) bytes is more than the \(limit) bytes a ZooKeeper node can hold")
        }
    }

    private func createAncestors(of path: String) async throws {
        var ancestors: [String] = []
        var parent = ZNodePath.parent(of: path)
        while parent != "/" {
            ancestors.append(parent)
            parent = ZNodePath.parent(of: parent)
        }
        for ancestor in ancestors.reversed() {
            do {
                try await create(ancestor)
            } catch let error as ZooKeeperError where error.code == .nodeExists {
                continue
            }
        }
    }
}
