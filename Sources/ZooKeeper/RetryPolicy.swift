/// How to repeat an operation that failed with a transient error (connection loss, timeout).
///
/// Exponential backoff with jitter, bounded by a number of attempts and a deadline. Session
/// expiry is never retried: it is an event the caller must handle (see ``ZooKeeperError/isRetriable``).
/// A retried `create` may find its own node from the earlier attempt (`nodeExists`), and a retried
/// versioned `set` may see `badVersion`: callers of non-idempotent operations should check.
public struct RetryPolicy: Sendable, Hashable {
    /// The most attempts, the first included. Default 10.
    public var maxAttempts: Int
    /// The wait before the second attempt. Default 100 ms.
    public var baseDelay: Duration
    /// The longest wait between attempts. Default 2 s.
    public var maxDelay: Duration
    /// The fraction of each wait chosen at random (0 … 1). Default 0.2.
    public var jitter: Double
    /// Give up once this much time has passed since the first attempt. Default 30 s.
    public var deadline: Duration

    public init(
        maxAttempts: Int = 10, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(2),
        jitter: Double = 0.2, deadline: Duration = .seconds(30)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = min(1, max(0, jitter))
        self.deadline = deadline
    }

    /// Never retry.
    public static let none = RetryPolicy(maxAttempts: 1)
    /// The default policy.
    public static let standard = RetryPolicy()

    /// The wait after failed attempt `attempt` (1-based), before jitter.
    public func delay(afterAttempt attempt: Int) -> Duration {
        let factor = 1 << min(max(attempt - 1, 0), 20)
        let raw = baseDelay * factor
        return raw > maxDelay ? maxDelay : raw
    }

    /// Runs `operation`, repeating it while it fails with a retriable ``ZooKeeperError``.
    public func run<T: Sendable>(
        clock: ContinuousClock = ContinuousClock(), _ operation: () async throws -> T
    ) async throws -> T {
        let start = clock.now
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch let error as ZooKeeperError where error.isRetriable {
                let wait = jittered(delay(afterAttempt: attempt))
                if attempt >= maxAttempts || clock.now + wait - start > deadline {
                    throw error
                }
                try await Task.sleep(for: wait, clock: clock)
                attempt += 1
            }
        }
    }

    private func jittered(_ delay: Duration) -> Duration {
        guard jitter > 0 else { return delay }
        let spread = Double.random(in: (1 - jitter)...(1 + jitter))
        return delay * spread
    }
}
