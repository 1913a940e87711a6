import Synchronization
import ZooKeeper

/// The API's hot reads served from memory, each cached node kept current by a ZooKeeper watch.
///
/// A node read for the first time is read with a watch and kept. The watch fires when the node is
/// created, changed or deleted, or when the session ends; from then on the entry is stale and the
/// next read goes to ZooKeeper again, setting a new watch. Staleness is checked synchronously
/// (`Watch.hasFired` turns true on the client's completion thread, in the order ZooKeeper sent
/// its messages), which gives:
///
/// - read-your-writes in this process: ZooKeeper sends a watch event before the reply to the
///   write that triggered it, so the write's caller resumes after the entry went stale;
/// - two API processes behave as one: a write through the other process invalidates the entry
///   here when ZooKeeper's notification arrives, which ZooKeeper sends before it even answers
///   that write;
/// - while the session is not connected, reads bypass the cache (and fail as uncached reads do)
///   rather than answer from entries that may have missed a change.
///
/// Every read reports to the request's ``NodeReadLog``, if it has one: a read answered under a
/// watch adds that watch, any other read makes the request's answer not reusable.
///
/// Values decoded from a node's data are kept with it, so a hit costs no parsing. Concurrent
/// misses for one node share one read. At most `capacity` nodes are kept; past that,
/// stale entries are dropped, and when none is stale, reads of further nodes go to ZooKeeper.
public final class WatchedNodeCache: NodeCache {
    /// The default number of nodes kept: 100 000 (`GET /v1.1/summary` reads six nodes of each
    /// endpoint; 100 000 keep an installation of over 15 000 endpoints in memory, tens of MB).
    public static let defaultCapacity = 100_000

    private let client: ZooKeeperClient
    private let capacity: Int
    private let state = Mutex(State())

    private struct State {
        var entries: [String: Entry] = [:]
        var nextGeneration: UInt64 = 0
    }

    /// What one read brought back; kept when it carries a watch.
    private struct Loaded: Sendable {
        let data: [UInt8]?
        let watch: Watch?
        /// Tells this read from later reads of the same node.
        let generation: UInt64
    }

    private enum Entry {
        case loading(Task<Loaded, any Error>)
        /// `decoded`: the values made from `loaded.data`, by value type.
        case loaded(Loaded, decoded: [ObjectIdentifier: any Sendable])
    }

    private enum Step<Value> {
        case decoded(Value)
        case hit(Loaded)
        case wait(Task<Loaded, any Error>)
        case bypass
    }

    /// - Parameters:
    ///   - client: the session whose watches keep the entries current; the cache never closes it.
    ///   - capacity: the most nodes kept; default ``defaultCapacity``.
    public init(client: ZooKeeperClient, capacity: Int = WatchedNodeCache.defaultCapacity) {
        self.client = client
        self.capacity = max(1, capacity)
    }

    /// The number of nodes currently kept (fresh or stale), for tests and diagnostics.
    public var count: Int { state.withLock { $0.entries.count } }

    public func value<Value: Sendable>(
        at path: String, keepAbsence: Bool, decode: @Sendable ([UInt8]?) throws -> Value
    ) async throws -> Value {
        switch client.state {
        case .connected, .reconnected: break
        default:
            NodeReadLog.notCovered()
            return try decode(try await readDirectly(path))
        }
        let step: Step<Value> = state.withLock { state in
            switch state.entries[path] {
            case .loaded(let loaded, let decoded):
                if let watch = loaded.watch, !watch.hasFired {
                    NodeReadLog.dependsOn(watch)
                    if let value = decoded[ObjectIdentifier(Value.self)] as? Value { return .decoded(value) }
                    return .hit(loaded)
                }
            case .loading(let task):
                return .wait(task)
            case nil:
                guard makeRoom(in: &state.entries) else { return .bypass }
            }
            let generation = state.nextGeneration
            state.nextGeneration += 1
            let task = Task { try await self.load(path, keepAbsence: keepAbsence, generation: generation) }
            state.entries[path] = .loading(task)
            return .wait(task)
        }
        switch step {
        case .decoded(let value):
            return value
        case .hit(let loaded):
            return remember(try decode(loaded.data), for: path, from: loaded)
        case .bypass:
            NodeReadLog.notCovered()
            return try decode(try await readDirectly(path))
        case .wait(let task):
            let result: Result<Loaded, any Error> = await task.result
            state.withLock { state in
                // The first waiter settles the entry; later ones find it settled already.
                guard case .loading(let current) = state.entries[path], current == task else { return }
                if case .success(let loaded) = result, loaded.watch != nil {
                    state.entries[path] = .loaded(loaded, decoded: [:])
                } else {
                    state.entries[path] = nil
                }
            }
            let loaded = try result.get()
            if let watch = loaded.watch { NodeReadLog.dependsOn(watch) } else { NodeReadLog.notCovered() }
            return remember(try decode(loaded.data), for: path, from: loaded)
        }
    }

    /// Keeps `value` with the entry it was decoded from, unless that entry was replaced meanwhile.
    private func remember<Value: Sendable>(_ value: Value, for path: String, from loaded: Loaded) -> Value {
        state.withLock { state in
            guard case .loaded(let current, var decoded) = state.entries[path], current.generation == loaded.generation
            else { return }
            decoded[ObjectIdentifier(Value.self)] = value
            state.entries[path] = .loaded(current, decoded: decoded)
        }
        return value
    }

    /// Whether a new entry fits, dropping stale entries when the cache is full.
    private func makeRoom(in entries: inout [String: Entry]) -> Bool {
        guard entries.count >= capacity else { return true }
        entries = entries.filter { _, entry in
            if case .loaded(let loaded, _) = entry { return loaded.watch?.hasFired == false }
            return true
        }
        return entries.count < capacity
    }

    /// Reads the node and sets a watch on it. An absent node is watched for its creation only when
    /// `keepAbsence`; otherwise the answer comes back without a watch and is not kept.
    private func load(_ path: String, keepAbsence: Bool, generation: UInt64) async throws -> Loaded {
        while true {
            do {
                let (node, watch) = try await client.getWatching(path)
                return Loaded(data: node.bytes, watch: watch, generation: generation)
            } catch let error as ZooKeeperError where error.code == .noNode {
                guard keepAbsence else { return Loaded(data: nil, watch: nil, generation: generation) }
                let (stat, watch) = try await client.existsWatching(path)
                if stat == nil { return Loaded(data: nil, watch: watch, generation: generation) }
                // Created in between: read it again (that exists-watch just fires unheeded later).
            }
        }
    }

    private func readDirectly(_ path: String) async throws -> [UInt8]? {
        do {
            return try await client.get(path).bytes
        } catch let error as ZooKeeperError where error.code == .noNode {
            return nil
        }
    }
}
