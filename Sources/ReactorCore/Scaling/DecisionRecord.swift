/// The last scaling decision of an endpoint as its owner records it each pass (docs/design.md#scaling), so
/// that `GET /v1.1/endpoints/<name>/decision` and `reactor explain` can say why the count is what
/// it is: the inputs, each rule's range and outcome, the clamp, the target, and what held the
/// owner back from reaching it.
///
/// Its JSON form is also a line of a series `reactor scaling replay` reads (``MetricSeries``).
public struct DecisionRecord: Sendable, Hashable {
    /// What kept the owner from taking every action towards the target this pass.
    public enum Hold: String, Sendable, Hashable, CaseIterable {
        /// More actions were needed than `ramp_limit` allows per pass.
        case rampLimit = "ramp_limit"
        /// Instances kept failing: launches are held back for a while.
        case launchBackoff = "launch_backoff"
        /// The endpoint is PAUSED.
        case paused
        /// `[scaling] dry_run` is set: nothing is acted on.
        case dryRun = "dry_run"
    }

    /// When the decision was made, seconds since 1970.
    public var time: Double
    /// The decision.
    public var decision: ScalingDecision
    /// Per-instance averages of each metric the owner computed.
    public var metrics: [String: Double]
    /// How many instances reported each metric.
    public var reporting: [String: Int]
    /// `[scaling] ramp_limit`.
    public var rampLimit: Int
    /// The count the owner moves towards: the decision's target, or 1 when connections wait at
    /// the balancer of an endpoint with no instance (scale from zero).
    public var target: Int
    /// Launches or decommissions carried out (or, in a dry run, that would have been).
    public var actions: Int
    /// What held the owner back, with a sentence each.
    public var holds: [(Hold, String)]
    /// Other notes on the pass (scale from zero).
    public var notes: [String]

    /// - Parameters:
    ///   - time: seconds since 1970.
    ///   - decision: the decision.
    ///   - metrics: per-instance averages.
    ///   - reporting: reporting instances per metric; default none.
    ///   - rampLimit: `ramp_limit`.
    ///   - target: the count moved towards; default the decision's target.
    ///   - actions: actions taken; default what the decision asks for under `rampLimit`.
    ///   - holds: what held the owner back; default nothing.
    ///   - notes: other notes; default none.
    public init(
        time: Double, decision: ScalingDecision, metrics: [String: Double], reporting: [String: Int] = [:],
        rampLimit: Int, target: Int? = nil, actions: Int? = nil, holds: [(Hold, String)] = [], notes: [String] = []
    ) {
        self.time = time
        self.decision = decision
        self.metrics = metrics
        self.reporting = reporting
        self.rampLimit = rampLimit
        self.target = target ?? decision.target
        self.actions = actions ?? decision.actions(rampLimit: rampLimit)
        self.holds = holds
        self.notes = notes
    }

    /// The stored JSON: the decision's members plus `time`, `instances`, `metrics`
    /// (`{name: {"average": a, "reporting": n}}`), `ramp_limit`, `held` (`[{"by", "why"}]`) and
    /// `notes`; `target` and `actions` are what the owner did.
    public var jsonValue: JSONValue {
        var members = comparable.objectValue ?? [:]
        members["time"] = .number(time)
        return .object(members)
    }

    /// ``jsonValue`` without `time`: equal for two passes that decided alike, so the owner writes
    /// the record only when this changes.
    public var comparable: JSONValue {
        var members = decision.jsonValue(rampLimit: rampLimit).objectValue ?? [:]
        var inputs: [String: JSONValue] = [:]
        for name in Set(metrics.keys).union(reporting.keys) {
            inputs[name] = [
                "average": metrics[name].map(JSONValue.number) ?? .null,
                "reporting": .number(Double(reporting[name] ?? decision.current)),
            ]
        }
        members["instances"] = .number(Double(decision.current))
        members["metrics"] = .object(inputs)
        members["ramp_limit"] = .number(Double(rampLimit))
        members["decided_target"] = .number(Double(decision.target))
        members["target"] = .number(Double(target))
        members["actions"] = .number(Double(actions))
        members["held"] = .array(holds.map { ["by": .string($0.0.rawValue), "why": .string($0.1)] })
        members["notes"] = .array(notes.map(JSONValue.string))
        return .object(members)
    }

    public static func == (lhs: DecisionRecord, rhs: DecisionRecord) -> Bool {
        lhs.time == rhs.time && lhs.comparable == rhs.comparable
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(time)
        hasher.combine(comparable)
    }
}
