import Synchronization

/// A registered one-shot watch, holding its event until someone waits for it.
final class WatchBox: Sendable {
    private enum State {
        case waiting(UnsafeContinuation<WatchEvent, any Error>?)
        case done(Result<WatchEvent, ZooKeeperError>)
    }

    private let state = Mutex<State>(.waiting(nil))

    func complete(_ result: Result<WatchEvent, ZooKeeperError>) {
        let waiter: UnsafeContinuation<WatchEvent, any Error>? = state.withLock { state in
            guard case .waiting(let waiter) = state else { return nil }
            state = .done(result)
            return waiter
        }
        waiter?.resume(with: result.mapError { $0 as any Error })
    }

    var isDone: Bool {
        state.withLock { if case .done = $0 { true } else { false } }
    }

    func wait() async throws -> WatchEvent {
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<WatchEvent, any Error>) in
                let ready: Result<WatchEvent, any Error>? = state.withLock { state in
                    switch state {
                    case .done(let result): return result.mapError { $0 as any Error }
                    case .waiting:
                        // A cancellation that came before this point found no continuation to
                        // resume: check for it here, under the same lock, or wait forever.
                        if Task.isCancelled { return .failure(CancellationError()) }
                        state = .waiting(continuation)
                        return nil
                    }
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let waiter: UnsafeContinuation<WatchEvent, any Error>? = state.withLock { state in
                guard case .waiting(let waiter) = state else { return nil }
                state = .waiting(nil)
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

    /// Fails every watch of `client` (of one session `generation`, or all when nil).
    static func failAll(client: UInt64, generation: UInt64? = nil, with error: ZooKeeperError) {
        let removed = table.withLock { $0.removeAll(client: client, generation: generation) }
        for box in removed { box.complete(.failure(error)) }
    }
}
