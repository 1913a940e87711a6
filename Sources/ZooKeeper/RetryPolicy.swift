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

    /// Five attempts one after the other, without waiting and without a deadline of their own: for
    /// an operation that lost a race with another writer (`badVersion`, `nodeExists`, `notEmpty`),
    /// whose next attempt reads again and is expected to win.
    public static let conflicts = RetryPolicy(
        maxAttempts: 5, baseDelay: .zero, maxDelay: .zero, jitter: 0, deadline: .seconds(365 * 86_400))

    /// What one attempt of ``repeating(clock:_:)`` came to.
    public enum Attempt<Value: Sendable>: Sendable {
        /// It succeeded with this value.
        case done(Value)
        /// It failed with this error, and another attempt may succeed.
        case again(any Error)
    }

    /// Runs `operation`, repeating it while it fails with a retriable ``ZooKeeperError``
    /// (``ZooKeeperError/isRetriable``: connection loss, timeouts); any other error ends it at once.
    public func run<T: Sendable>(
        clock: ContinuousClock = ContinuousClock(), _ operation: () async throws -> T
    ) async throws -> T {
        try await run(clock: clock, isRetried: { $0.isRetriable }, operation)
    }

    /// Runs `operation`, repeating it while it fails with a ``ZooKeeperError`` of one of `codes`
    /// (`[.badVersion]`, say, with ``conflicts``); any other error ends it at once.
    public func run<T: Sendable>(
        clock: ContinuousClock = ContinuousClock(), retrying codes: Set<ZooKeeperError.Code>,
        _ operation: () async throws -> T
    ) async throws -> T {
        try await run(clock: clock, isRetried: { codes.contains($0.code) }, operation)
    }

    private func run<T: Sendable>(
        clock: ContinuousClock, isRetried: (ZooKeeperError) -> Bool, _ operation: () async throws -> T
    ) async throws -> T {
        try await repeating(clock: clock) { () async throws -> Attempt<T> in
            do {
                return .done(try await operation())
            } catch let error as ZooKeeperError where isRetried(error) {
                return .again(error)
            }
        }
    }

    /// Runs `attempt` until it is ``Attempt/done(_:)``, waiting between attempts as the policy
    /// says; when no attempt is left, the error of the last ``Attempt/again(_:)`` is thrown.
    /// An error `attempt` throws ends it at once (so an attempt chooses which of its steps may
    /// be tried again: a read before a conflicting write, say, need not be).
    public func repeating<T: Sendable>(
        clock: ContinuousClock = ContinuousClock(), _ attempt: () async throws -> Attempt<T>
    ) async throws -> T {
        let start = clock.now
        var number = 1
        while true {
            switch try await attempt() {
            case .done(let value):
                return value
            case .again(let error):
                let wait = jittered(delay(afterAttempt: number))
                if number >= maxAttempts || clock.now + wait - start > deadline {
                    throw error
                }
                // No wait, no suspension: an immediate retry is not a point of cancellation.
                if wait > .zero { try await Task.sleep(for: wait, clock: clock) }
                number += 1
            }
        }
    }

    private func jittered(_ delay: Duration) -> Duration {
        guard jitter > 0 else { return delay }
        let spread = Double.random(in: (1 - jitter)...(1 + jitter))
        return delay * spread
    }
}
