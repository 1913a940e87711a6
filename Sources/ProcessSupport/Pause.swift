import Dispatch

/// Short pauses between looks at a process that is being stopped.
public enum Pause {
    /// Sleeps for `duration` even in a cancelled task.
    ///
    /// `Task.sleep` returns at once in a cancelled task, so a wait for a child to exit that a
    /// cancelled caller runs (a manager stopping its balancers as its task ends) would poll
    /// without pause until its deadline. Every such wait has a deadline of its own; this only
    /// keeps it from spinning.
    public static func ignoringCancellation(_ duration: Duration) async {
        let nanoseconds = max(
            0, duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) {
                continuation.resume()
            }
        }
    }
}

extension Pause {
    /// Sleeps for `duration`, returning early when the task is cancelled.
    ///
    /// For polling loops that check their own deadline and `Task.isCancelled` on every round:
    /// `Task.sleep` throws only `CancellationError`, which such a loop sees on its next check.
    public static func orUntilCancelled(_ duration: Duration) async {
        do {
            try await Task.sleep(for: duration)
        } catch {
            return  // cancelled: the caller's loop looks at Task.isCancelled next
        }
    }
}
