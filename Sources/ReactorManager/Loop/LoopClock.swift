/// The clock the manager's loop waits on between passes: any `Clock` measured in `Duration`
/// (`ContinuousClock` in production; tests inject a clock they advance by hand).
public struct LoopClock: Sendable {
    /// Time elapsed on the clock since this value was made.
    public let elapsed: @Sendable () -> Duration
    /// Sleeps `duration` on the clock; throws when the task is cancelled.
    public let sleep: @Sendable (Duration) async throws -> Void

    /// Wraps `clock`.
    public init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        sleep = { duration in try await clock.sleep(until: clock.now.advanced(by: duration), tolerance: nil) }
    }

    /// The system's continuous clock.
    public static let continuous = LoopClock(ContinuousClock())
}
