import Foundation
import Logging
import Synchronization

/// Which step of a pass the manager is in, and since when: a pass that stays in one step far
/// longer than passes take (a ZooKeeper call that does not return, a balancer that does not
/// answer) is logged with the step's name, so a stuck manager says where it is stuck.
final class PassProgress: Sendable {
    private struct State {
        var step: String?
        var since = ContinuousClock.now
        var reported = false
    }

    private let state = Mutex(State())

    /// Enters `step` (nil: between passes, waiting for the next).
    func enter(_ step: String?) {
        state.withLock { $0 = State(step: step, since: .now, reported: false) }
    }

    /// The step the pass has been in for longer than `limit`, once per step entered.
    func overdue(limit: Duration) -> (step: String, elapsed: Duration)? {
        state.withLock { state in
            guard let step = state.step, !state.reported else { return nil }
            let elapsed = ContinuousClock.now - state.since
            guard elapsed > limit else { return nil }
            state.reported = true
            return (step, elapsed)
        }
    }

    /// Until cancelled: every 5 s, logs a step that has taken longer than `limit`.
    func watch(limit: @escaping @Sendable () -> Duration, logger: Logger) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .seconds(5))
            } catch {
                return  // cancelled: the manager stops
            }
            if let (step, elapsed) = overdue(limit: limit()) {
                logger.warning(
                    "the pass has been in '\(step)' for \(elapsed.components.seconds) s; it goes on when that step returns"
                )
            }
        }
    }
}
