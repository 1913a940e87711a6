/// One scaling rule: `[min (<|<=)] metric [(<|<=) max]`.
///
/// A rule keeps the per-instance value of `metric` within its bounds; the special metric
/// ``ScalingRule/instancesMetric`` bounds the instance count itself. Build rules with
/// ``ScalingRules/parse(_:)``, which enforces the grammar and bound consistency.
public struct ScalingRule: Sendable, Hashable, CustomStringConvertible {
    /// The metric name that bounds the instance count directly instead of a load.
    public static let instancesMetric = "instances"

    /// One side of a rule.
    public struct Bound: Sendable, Hashable {
        /// The limit, finite and non-negative.
        public var value: Double
        /// `true` for `<`, `false` for `<=`.
        public var isStrict: Bool

        /// - Parameters:
        ///   - value: the limit.
        ///   - isStrict: `true` for `<`, `false` (the default) for `<=`.
        public init(_ value: Double, strict isStrict: Bool = false) {
            self.value = value
            self.isStrict = isStrict
        }

        var operatorText: String { isStrict ? "<" : "<=" }
    }

    /// The metric the rule constrains.
    public var metric: String
    /// The lower bound (`min <= metric`), if any.
    public var lower: Bound?
    /// The upper bound (`metric <= max`), if any.
    public var upper: Bound?

    /// Creates a rule without checking it; ``ScalingRules/parse(_:)`` is the checked way in.
    public init(metric: String, lower: Bound? = nil, upper: Bound? = nil) {
        self.metric = metric
        self.lower = lower
        self.upper = upper
    }

    /// Whether this rule bounds the instance count directly.
    public var isInstanceCountRule: Bool { metric == Self.instancesMetric }

    /// The canonical spelling, e.g. `10 <= active <= 30`, used in logs and stored configuration.
    public var description: String {
        var parts: [String] = []
        if let lower {
            parts.append("\(NumberText.plain(lower.value)) \(lower.operatorText)")
        }
        parts.append(metric)
        if let upper {
            parts.append("\(upper.operatorText) \(NumberText.plain(upper.value))")
        }
        return parts.joined(separator: " ")
    }
}
