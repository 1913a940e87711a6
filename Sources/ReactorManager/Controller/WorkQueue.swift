/// The keyed work queue of a controller (client-go's `workqueue`, as a value): keys are marked
/// dirty by events, handed out one at a time to be reconciled, never to two workers at once, and
/// a key that fails comes back after a backoff of its own.
///
/// - A key is queued at most once however often it is marked (marks between two reconciles
///   collapse into one).
/// - A key marked while it is being reconciled is queued again when that reconcile ends, so no
///   change is missed and no key runs twice at once.
/// - A failure re-queues the key after `baseDelay × 2^(failures-1)` (at most `maxDelay`); a
///   success forgets its failures.
/// - ``mark(_:at:)`` queues a key for later (the owner's interval, a timeout that falls due); an
///   earlier mark wins.
///
/// Pure: the caller passes the time and carries out what the queue says; tested without clocks
/// or ZooKeeper. The manager's run loop owns one.
public struct WorkQueue<Key: Hashable & Sendable, Instant: InstantProtocol>: Sendable
where Instant.Duration == Swift.Duration {
    /// Keys ready now, in the order they became ready.
    private var ready: [Key] = []
    private var readySet: Set<Key> = []
    /// Keys due later, with when.
    private var delayed: [Key: Instant] = [:]
    /// Keys a worker holds now; `true` when marked again meanwhile.
    private var processing: [Key: Bool] = [:]
    /// Failures in a row, by key.
    private var failures: [Key: Int] = [:]

    public let baseDelay: Duration
    public let maxDelay: Duration

    /// - Parameters:
    ///   - baseDelay: the wait after a first failure; default 200 ms.
    ///   - maxDelay: the longest wait; default 5 minutes.
    public init(baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(300)) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Marks `key` dirty: queued now (or again once its running reconcile ends).
    public mutating func mark(_ key: Key) {
        if processing[key] != nil {
            processing[key] = true
            return
        }
        delayed[key] = nil
        guard readySet.insert(key).inserted else { return }
        ready.append(key)
    }

    /// Marks `key` to be reconciled at `instant` (or sooner, if marked sooner).
    public mutating func mark(_ key: Key, at instant: Instant) {
        guard !readySet.contains(key) else { return }
        if let due = delayed[key], due <= instant { return }
        delayed[key] = instant
    }

    /// Moves the keys due by `now` to the ready queue, earliest first.
    private mutating func promote(now: Instant) {
        let due = delayed.filter { $0.value <= now }.sorted { $0.value < $1.value }
        for (key, _) in due {
            delayed[key] = nil
            if processing[key] != nil {
                processing[key] = true
            } else if readySet.insert(key).inserted {
                ready.append(key)
            }
        }
    }

    /// The next key to reconcile, now held by the caller until ``done(_:succeeded:now:)``; nil
    /// when none is ready.
    public mutating func next(now: Instant) -> Key? {
        promote(now: now)
        guard !ready.isEmpty else { return nil }
        let key = ready.removeFirst()
        readySet.remove(key)
        processing[key] = false
        return key
    }

    /// Ends the reconcile of `key`. A failure queues it again after its backoff; a mark that came
    /// meanwhile queues it again now.
    /// - Returns: the backoff applied, nil after a success.
    @discardableResult
    public mutating func done(_ key: Key, succeeded: Bool, now: Instant) -> Duration? {
        let markedAgain = processing.removeValue(forKey: key) ?? false
        var backoff: Duration?
        if succeeded {
            failures[key] = nil
        } else {
            let count = (failures[key] ?? 0) + 1
            failures[key] = count
            let wait = Self.delay(baseDelay, doubled: count - 1, atMost: maxDelay)
            backoff = wait
            mark(key, at: now.advanced(by: wait))
        }
        if markedAgain { mark(key) }
        return backoff
    }

    /// Forgets everything about `key` (it was deleted, or is no longer this controller's).
    public mutating func forget(_ key: Key) {
        if readySet.remove(key) != nil { ready.removeAll { $0 == key } }
        delayed[key] = nil
        failures[key] = nil
        if processing[key] != nil { processing[key] = false }
    }

    /// When the earliest delayed key falls due; nil when none is delayed.
    public var nextDue: Instant? { delayed.values.min() }

    /// Keys ready now.
    public var readyCount: Int { ready.count }
    /// Keys being reconciled.
    public var processingCount: Int { processing.count }
    /// Whether `key` is held by a worker.
    public func isProcessing(_ key: Key) -> Bool { processing[key] != nil }
    /// Failures in a row of `key`.
    public func failureCount(_ key: Key) -> Int { failures[key] ?? 0 }

    static func delay(_ base: Duration, doubled times: Int, atMost limit: Duration) -> Duration {
        var wait = base
        for _ in 0..<max(0, min(times, 40)) {
            wait *= 2
            if wait >= limit { return limit }
        }
        return min(wait, limit)
    }
}
