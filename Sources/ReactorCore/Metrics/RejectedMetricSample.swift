/// A metric entry ``WeightedMetrics`` skipped, kept so the manager can log who sent what.
public struct RejectedMetricSample: Sendable, Hashable, CustomStringConvertible {
    /// The reporting instance, or `nil` for custom metrics and whole-report problems.
    public var instance: String?
    /// The metric name, when the problem is with one metric's entry.
    public var metric: String?
    /// The offending JSON.
    public var value: JSONValue
    /// What was wrong.
    public var reason: String

    /// Records a skipped entry; see the properties for what each part means.
    public init(instance: String?, metric: String?, value: JSONValue, reason: String) {
        self.instance = instance
        self.metric = metric
        self.value = value
        self.reason = reason
    }

    /// e.g. `metric 'active' from 10.0.0.1: weight must be greater than 0 (got [0,5])`.
    public var description: String {
        var subject = metric.map { "metric '\($0)'" } ?? "sample"
        if let instance { subject += " from \(instance)" }
        return "\(subject): \(reason) (got \(value.jsonText))"
    }
}
