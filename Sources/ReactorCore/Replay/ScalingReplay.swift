/// Replays a ``MetricSeries`` through ``ScalingDecision`` as a RUNNING endpoint would live it: one
/// pass per time in the series, at most `ramp_limit` actions per pass, and launched instances that
/// appear (count as reporting) only `launchDelay` seconds after their launch.
///
/// Each pass counts every instance (launched or up) as the current count, and the instances that
/// are up as the reporting ones: a recorded total (`value × instances`) is spread over them, so
/// the per-instance load falls once new instances appear. Scaling in removes instances that have
/// not appeared yet first, as the manager prefers instances that never registered.
public struct ScalingReplay: Sendable {
    /// What one pass decided.
    public struct Pass: Sendable, Hashable {
        /// The series time of the pass.
        public var time: Double
        /// Instances before the pass (launched or up).
        public var count: Int
        /// Instances up (reporting) at the pass.
        public var reporting: Int
        /// The per-instance averages the decision saw.
        public var metrics: [String: Double]
        /// The decision.
        public var decision: ScalingDecision
        /// Launches (positive) or removals (negative) carried out.
        public var change: Int
        /// Instances after the pass.
        public var after: Int

        /// `{"time", "count", "reporting", "metrics", "target", "range", "change", "after", "explanation"}`.
        public var jsonValue: JSONValue {
            [
                "time": .number(time), "count": .number(Double(count)), "reporting": .number(Double(reporting)),
                "metrics": .object(metrics.mapValues(JSONValue.number)),
                "target": .number(Double(decision.target)),
                "range": [.number(Double(decision.range.lowerBound)), .number(Double(decision.range.upperBound))],
                "change": .number(Double(change)), "after": .number(Double(after)),
                "explanation": .string(decision.explanation),
            ]
        }
    }

    /// The rules.
    public var rules: ScalingRules
    /// `min_instances`.
    public var minInstances: Int
    /// `max_instances`.
    public var maxInstances: Int
    /// `ramp_limit`; default 5.
    public var rampLimit: Int
    /// Seconds between a launch and the instance appearing; default 0.
    public var launchDelay: Double
    /// Instances up at the start; default `minInstances`.
    public var initialInstances: Int?

    /// - Parameters:
    ///   - rules: the rules.
    ///   - minInstances: `min_instances`.
    ///   - maxInstances: `max_instances`.
    ///   - rampLimit: `ramp_limit`; default 5.
    ///   - launchDelay: seconds from launch to appearing; default 0.
    ///   - initialInstances: instances up at the start; default `minInstances`.
    public init(
        rules: ScalingRules, minInstances: Int, maxInstances: Int, rampLimit: Int = 5, launchDelay: Double = 0,
        initialInstances: Int? = nil
    ) {
        self.rules = rules
        self.minInstances = minInstances
        self.maxInstances = maxInstances
        self.rampLimit = rampLimit
        self.launchDelay = launchDelay
        self.initialInstances = initialInstances
    }

    /// Runs the series; one ``Pass`` per time.
    public func run(_ series: MetricSeries) -> [Pass] {
        var up = max(0, initialInstances ?? minInstances)
        var launching: [Double] = []  // when each launched instance appears
        var latest: [String: MetricSeries.Sample] = [:]
        var passes: [Pass] = []
        for point in series.points {
            latest.merge(point.samples) { _, new in new }
            let appeared = launching.filter { $0 <= point.time }.count
            launching.removeAll { $0 <= point.time }
            up += appeared
            let count = up + launching.count
            let reporting = up
            var metrics: [String: Double] = [:]
            for (name, sample) in latest {
                if let recorded = sample.instances {
                    metrics[name] = up > 0 ? sample.value * Double(recorded) / Double(up) : 0
                } else {
                    metrics[name] = sample.value
                }
            }
            let decision = ScalingDecision.evaluate(
                rules: rules, metrics: metrics, reportingInstances: reporting, current: count,
                minInstances: minInstances, maxInstances: maxInstances)
            let actions = decision.actions(rampLimit: rampLimit)
            var change = 0
            if decision.target > count {
                change = actions
                launching += Array(repeating: point.time + launchDelay, count: actions)
                if launchDelay <= 0 {
                    up += launching.count
                    launching.removeAll()
                }
            } else if decision.target < count {
                change = -actions
                let fromLaunching = min(actions, launching.count)
                launching.removeLast(fromLaunching)
                up -= actions - fromLaunching
            }
            passes.append(
                Pass(
                    time: point.time, count: count, reporting: reporting,
                    metrics: metrics, decision: decision, change: change, after: up + launching.count))
        }
        return passes
    }
}
