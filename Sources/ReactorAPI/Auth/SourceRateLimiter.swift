import Synchronization

/// A token bucket per source address: `burst` requests at once, then `perSecond` on average.
///
/// Bounds what one address can queue through the keyless `POST /register`. At most
/// ``maximumSources`` addresses are tracked; past that, full buckets (sources quiet long enough
/// to have their whole burst back) are forgotten, and if none is, the table starts afresh.
final class SourceRateLimiter: Sendable {
    static let maximumSources = 10_000
    let perSecond: Double
    let burst: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    convenience init(_ rate: RegistrationRate) {
        self.init(perSecond: rate.perSecond, burst: rate.burst)
    }

    init(perSecond: Double, burst: Int) {
        self.perSecond = max(perSecond, 0.001)
        self.burst = max(burst, 1)
    }

    /// Whether `source` may send one more request now; counts it when it may.
    func allow(_ source: String, now: ContinuousClock.Instant = .now) -> Bool {
        buckets.withLock { buckets in
            var bucket = buckets[source] ?? Bucket(tokens: Double(burst), updated: now)
            let elapsed = max((now - bucket.updated) / .seconds(1), 0)
            bucket.tokens = min(Double(burst), bucket.tokens + elapsed * perSecond)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            if buckets[source] == nil && buckets.count >= Self.maximumSources { forgetQuiet(&buckets, now: now) }
            buckets[source] = bucket
            return allowed
        }
    }

    private func forgetQuiet(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        let refill = Duration.seconds(Double(burst) / perSecond)
        buckets = buckets.filter { now - $0.value.updated < refill }
        if buckets.count >= Self.maximumSources { buckets = [:] }
    }
}
