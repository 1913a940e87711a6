/// Combines `{metric: [weight, value]}` samples into weighted averages `{metric: value}`.
///
/// Samples come from load balancers (`{"ip:port": [{metric: [w, v]}, ...]}` per manager), from
/// per-instance posts (`ip_metrics/<ip>`) and from endpoint-wide custom metrics. Each metric's
/// average is `Σ(wᵢ·vᵢ) / Σwᵢ` over every valid sample (computed another way when that sum would
/// overflow). Malformed entries are skipped and listed in ``rejected`` so that one bad post does not
/// hide everyone else's metrics.
///
/// ```swift
/// var combined = WeightedMetrics()
/// combined.add(["active": [1, 40]], from: "10.0.0.1")
/// combined.add(["active": [1, 60]], from: "10.0.0.2")
/// combined.averages   // ["active": 50]
/// combined.reporters  // ["active": 2]
/// ```
public struct WeightedMetrics: Sendable, Hashable {
    private struct Accumulator: Sendable, Hashable {
        var weight = 0.0
        var weightedSum = 0.0
        /// The weighted average so far, moved towards each new value by its share of the weight:
        /// used when `Σ(w·v)` overflows for values whose average does not.
        var mean = 0.0
        var instances: Set<String> = []

        var average: Double? {
            let exact = weightedSum / weight
            if exact.isFinite { return exact }
            return mean.isFinite ? mean : nil
        }
    }

    private var accumulators: [String: Accumulator] = [:]

    /// Entries that were skipped, in the order they were seen.
    public private(set) var rejected: [RejectedMetricSample] = []

    /// An empty combination.
    public init() {}

    /// The weighted average of each metric with at least one valid sample.
    public var averages: [String: Double] {
        accumulators.compactMapValues(\.average)
    }

    /// How many distinct instances reported each metric; metrics only reported without an instance
    /// (custom metrics) are absent, so ``ScalingDecision`` falls back to its overall instance count.
    public var reporters: [String: Int] {
        accumulators.compactMapValues { $0.instances.isEmpty ? nil : $0.instances.count }
    }

    /// Adds one sample object `{metric: [weight, value]}`, or an array of such objects.
    ///
    /// - Parameters:
    ///   - sample: the decoded JSON.
    ///   - instance: the reporting instance (its IP), or `nil` for endpoint-wide custom metrics,
    ///     which count towards the averages but not towards ``reporters``.
    public mutating func add(_ sample: JSONValue, from instance: String?) {
        switch sample {
        case .object(let members):
            // `ttl` is the sample's time to live (seconds), not a metric.
            for (metric, entry) in members.sorted(by: { $0.key < $1.key }) where metric != Self.timeToLiveKey {
                add(metric: metric, entry: entry, from: instance)
            }
        case .array(let samples):
            for element in samples {
                if case .array = element {
                    reject(instance, nil, element, "expected an object {metric: [weight, value]}")
                } else {
                    add(element, from: instance)
                }
            }
        default:
            reject(instance, nil, sample, "expected an object {metric: [weight, value]}")
        }
    }

    /// The member of a posted sample object that gives its time to live in seconds
    /// (`{"queue": [1, 40], "ttl": 30}`); a sample older than that no longer counts.
    public static let timeToLiveKey = "ttl"

    /// The longest time to live a sample may be given: a day.
    public static let longestTimeToLive: Double = 86_400

    /// Whether a sample object posted at `posted` (seconds since 1970) has outlived its `ttl`
    /// at `now`; one without `ttl` never expires.
    public static func hasExpired(_ sample: JSONValue, postedAt posted: Double, now: Double) -> Bool {
        guard let ttl = sample.objectValue?[timeToLiveKey]?.numberValue else { return false }
        return posted + ttl <= now
    }

    /// Adds a load balancer report `{"ip:port": [{metric: [weight, value]}, ...]}`.
    ///
    /// The instance of each backend is its host part (see ``instance(ofBackend:)``), so a backend
    /// seen by several managers or on several ports counts once in ``reporters``.
    public mutating func addBalancerReport(_ report: JSONValue) {
        guard case .object(let backends) = report else {
            reject(nil, nil, report, "expected a balancer report {\"ip:port\": [samples]}")
            return
        }
        for (backend, samples) in backends.sorted(by: { $0.key < $1.key }) {
            add(samples, from: Self.instance(ofBackend: backend))
        }
    }

    /// The host part of a backend key: `10.0.0.1:80` → `10.0.0.1`, `[::1]:80` → `::1`; keys without
    /// a port (including bare IPv6 addresses) are returned unchanged.
    public static func instance(ofBackend backend: String) -> String {
        if backend.hasPrefix("["), let close = backend.firstIndex(of: "]") {
            return String(backend[backend.index(after: backend.startIndex)..<close])
        }
        let colons = backend.filter { $0 == ":" }.count
        if colons == 1, let colon = backend.firstIndex(of: ":") {
            return String(backend[..<colon])
        }
        return backend
    }

    private mutating func add(metric: String, entry: JSONValue, from instance: String?) {
        guard case .array(let pair) = entry else {
            return reject(instance, metric, entry, "expected [weight, value]")
        }
        guard pair.count == 2 else {
            return reject(instance, metric, entry, "expected 2 elements [weight, value], found \(pair.count)")
        }
        guard case .number(let weight) = pair[0] else {
            return reject(instance, metric, entry, "weight is not a number")
        }
        guard case .number(let value) = pair[1] else {
            return reject(instance, metric, entry, "value is not a number")
        }
        guard weight.isFinite, value.isFinite else {
            return reject(instance, metric, entry, "weight and value must be finite")
        }
        guard weight > 0 else {
            return reject(instance, metric, entry, "weight must be greater than 0")
        }
        var accumulator = accumulators[metric] ?? Accumulator()
        let total = accumulator.weight + weight
        guard total.isFinite else {
            return reject(instance, metric, entry, "the weights of '\(metric)' add up to more than a number can hold")
        }
        let share = weight / total
        accumulator.mean = accumulator.mean * (1 - share) + value * share
        accumulator.weightedSum += weight * value
        accumulator.weight = total
        if let instance { accumulator.instances.insert(instance) }
        accumulators[metric] = accumulator
    }

    private mutating func reject(_ instance: String?, _ metric: String?, _ value: JSONValue, _ reason: String) {
        rejected.append(RejectedMetricSample(instance: instance, metric: metric, value: value, reason: reason))
    }
}
