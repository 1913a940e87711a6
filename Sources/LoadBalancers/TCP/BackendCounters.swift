import Synchronization

/// The running totals of one backend, updated from the forwarding loops without a lock.
///
/// `rate` and `bytes` are reported per second (`errors` as a count) by differencing ``Snapshot``s
/// between two `metrics()` calls, so the manager sees the load of its last interval.
final class BackendCounters: Sendable {
    /// Connections open now (including the one being connected).
    let active = Atomic<Int>(0)
    /// Connections established since start.
    let connections = Atomic<Int>(0)
    /// Bytes forwarded in either direction since start.
    let bytes = Atomic<Int>(0)
    /// Failed connection attempts since start.
    let errors = Atomic<Int>(0)

    /// When counting started; the first `metrics()` interval of a backend begins here.
    let createdAt = ContinuousClock.now

    /// The totals at one instant.
    struct Snapshot: Sendable {
        var at: ContinuousClock.Instant
        var connections: Int
        var bytes: Int
        var errors: Int
    }

    /// Reads the totals now.
    func snapshot() -> Snapshot {
        Snapshot(
            at: .now,
            connections: connections.load(ordering: .relaxed),
            bytes: bytes.load(ordering: .relaxed),
            errors: errors.load(ordering: .relaxed)
        )
    }
}
