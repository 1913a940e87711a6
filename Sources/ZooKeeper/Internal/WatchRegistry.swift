import Synchronization

/// A registered one-shot watch, holding its event until someone waits for it.
final class WatchBox: Sendable {
    private enum State {
        /// The tasks waiting, by token: any number may wait on one watch (copies of a `Watch`
        /// are shared), and each is resumed when it fires.
        case waiting([UInt64: UnsafeContinuation<WatchEvent, any Error>])
        case done(Result<WatchEvent, ZooKeeperError>)
    }

    private let state = Mutex<State>(.waiting([:]))
    private let nextToken = Atomic<UInt64>(0)

    func complete(_ result: Result<WatchEvent, ZooKeeperError>) {
        let waiters: [UnsafeContinuation<WatchEvent, any Error>] = state.withLock { state in
            guard case .waiting(let waiters) = state else { return [] }
            state = .done(result)
            return Array(waiters.values)
        }
        for waiter in waiters { waiter.resume(with: result.mapError { $0 as any Error }) }
    }

    var isDone: Bool {
        state.withLock { if case .done = $0 { true } else { false } }
    }

    func wait() async throws -> WatchEvent {
        let token = nextToken.wrappingAdd(1, ordering: .relaxed).newValue
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<WatchEvent, any Error>) in
                let ready: Result<WatchEvent, any Error>? = state.withLock { state in
                    switch state {
                    case .done(let result): return result.mapError { $0 as any Error }
                    case .waiting(var waiters):
                        // A cancellation that came before this point found no continuation to
                        // resume: check for it here, under the same lock, or wait forever.
                        if Task.isCancelled { return .failure(CancellationError()) }
                        waiters[token] = continuation
                        state = .waiting(waiters)
                        return nil
                    }
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            // Only this task's wait ends; the watch stays set for the others and for later waits.
            let waiter: UnsafeContinuation<WatchEvent, any Error>? = state.withLock { state in
                guard case .waiting(var waiters) = state, let waiter = waiters.removeValue(forKey: token) else {
                    return nil
                }
                state = .waiting(waiters)
                return waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}

/// Watches the C library holds, by id.
///
/// The C library is handed a small integer id as its watcher context instead of a pointer: a
/// watch whose session ends never fires, and the library frees its record without telling
/// anyone, so no object may depend on the library for its release. Whoever removes the entry
/// first (the event, the failed registration, or the end of the session) completes the box.
enum WatchRegistry {
    private static let table = Mutex(IDTable<WatchBox>())

    static func register(_ box: WatchBox, client: UInt64, generation: UInt64) -> UInt {
        table.withLock { $0.insert(box, client: client, generation: generation) }
    }

    /// Completes and forgets the watch `id`, if it is still registered.
    static func complete(_ id: UInt, with result: Result<WatchEvent, ZooKeeperError>) {
        let box = table.withLock { $0.remove(id) }
        box?.complete(result)
    }

    /// How many watches of `client` are set and have not fired.
    static func count(client: UInt64) -> Int {
        table.withLock { $0.count(client: client) }
    }

    /// Fails every watch of `client` (of one session `generation`, or all when nil).
    static func failAll(client: UInt64, generation: UInt64? = nil, with error: ZooKeeperError) {
        let removed = table.withLock { $0.removeAll(client: client, generation: generation) }
        for box in removed { box.complete(.failure(error)) }
    }
}
