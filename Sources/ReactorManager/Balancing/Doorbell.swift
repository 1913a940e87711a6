import Synchronization

/// Wakes one waiting task when something happened while it was busy or asleep: a ring is kept
/// until the next ``wait()`` takes it, so none is lost, and several rings before a wait count
/// as one.
///
/// A **latch** (`sticky`) stays rung once rung: every wait after that returns at once. Use one
/// for "it has happened" (a worker finished): a ring delivered to a wait whose result is then
/// dropped (it lost a race in ``firstOf(_:otherwise:)``) must not be gone for the next wait.
final class Doorbell: Sendable {
    private let sticky: Bool

    init(sticky: Bool = false) {
        self.sticky = sticky
    }

    private struct State {
        var rung = false
        var nextToken: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    func ring() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            if sticky { state.rung = true }
            guard !state.waiters.isEmpty else {
                state.rung = true
                return []
            }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns at the next ring (at once if it rang since the last wait), or when the task is
    /// cancelled (then the ring, if any, stays for the next wait).
    func wait() async {
        let token: UInt64 = state.withLock { state in
            state.nextToken += 1
            return state.nextToken
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow: Bool = state.withLock { state in
                    if state.rung {
                        if !sticky { state.rung = false }
                        return true
                    }
                    if Task.isCancelled { return true }
                    state.waiters[token] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: token) }
            waiter?.resume()
        }
    }
}
