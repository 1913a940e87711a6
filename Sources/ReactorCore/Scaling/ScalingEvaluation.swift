/// A `POST /v1.1/scaling/evaluate` body, checked field by field:
///
/// ```json
/// {"scaling": {"rules": "2 <= active <= 8", "min_instances": 1, "max_instances": 5, "ramp_limit": 5},
///  "instances": 3, "metrics": {"active": 12.5}, "state": "RUNNING"}
/// ```
///
/// `scaling` is required and takes the `[scaling]` keys with their defaults (`rules` none,
/// `min_instances` 1, `max_instances` 1, `ramp_limit` 5; `dry_run` is accepted and changes nothing
/// here). `instances` is required: the current count and the number of reporting instances.
/// `metrics` (default none) maps metric names to per-instance averages. `state` defaults to RUNNING.
public struct ScalingEvaluation: Sendable, Hashable {
    /// The largest count (`instances`, `min_instances`, …) accepted.
    public static let maximumCount = 1_000_000

    /// The parsed rules.
    public var rules: ScalingRules
    /// `min_instances`.
    public var minInstances: Int
    /// `max_instances`.
    public var maxInstances: Int
    /// `ramp_limit`.
    public var rampLimit: Int
    /// The current count, also the number of reporting instances.
    public var instances: Int
    /// Per-instance averages.
    public var metrics: [String: Double]
    /// The endpoint state to decide in.
    public var state: EndpointState

    /// Checks a request body.
    /// - Throws: ``FieldErrors`` naming every bad field: unknown fields, wrong types, negative or
    ///   non-integer counts, non-finite metrics, unparsable rules, `min_instances > max_instances`.
    public init(json body: JSONValue) throws(FieldErrors) {
        var errors = FieldErrors()
        guard case .object(let members) = body else {
            throw FieldErrors(["body": "must be a JSON object {\"scaling\": {...}, \"instances\": n, ...}"])
        }
        for key in members.keys.sorted() where !["scaling", "instances", "metrics", "state"].contains(key) {
            errors.add("unknown field; known fields: scaling, instances, metrics, state", field: key)
        }
        rules = ScalingRules()
        minInstances = 1
        maxInstances = 1
        rampLimit = 5
        switch members["scaling"] {
        case .object(let scaling):
            let known = ScalingConfig.keys
            for key in scaling.keys.sorted() where !known.contains(key) {
                errors.add("unknown key; known keys: \(known.joined(separator: ", "))", field: "scaling.\(key)")
            }
            switch scaling["rules"] {
            case nil, .null: break
            case .string(let text):
                do { rules = try ScalingRules.parse(text) } catch { errors.add(error.message, field: "scaling.rules") }
            default: errors.add("must be a string of comma-separated rules", field: "scaling.rules")
            }
            let minimum = Self.count(scaling["min_instances"], "scaling.min_instances", from: 0, &errors)
            let maximum = Self.count(scaling["max_instances"], "scaling.max_instances", from: 0, &errors)
            minInstances = minimum ?? 1
            maxInstances = maximum ?? 1
            rampLimit = Self.count(scaling["ramp_limit"], "scaling.ramp_limit", from: 1, &errors) ?? 5
            if minInstances > maxInstances {
                errors.add(
                    "min_instances (\(minInstances)) is greater than max_instances (\(maxInstances))",
                    field: minimum != nil ? "scaling.min_instances" : "scaling.max_instances")
            }
            if let flag = scaling["dry_run"], flag.boolValue == nil, flag != .null {
                errors.add("must be true or false", field: "scaling.dry_run")
            }
        case nil: errors.add("required: the [scaling] section as an object", field: "scaling")
        default: errors.add("must be an object of [scaling] keys", field: "scaling")
        }
        if members["instances"] == nil || members["instances"] == .null {
            errors.add("required: the current instance count", field: "instances")
        }
        instances = Self.count(members["instances"], "instances", from: 0, &errors) ?? 0
        metrics = [:]
        switch members["metrics"] {
        case nil, .null: break
        case .object(let values):
            for (name, value) in values {
                guard case .number(let average) = value else {
                    errors.add("must be a number (the per-instance average)", field: "metrics.\(name)")
                    continue
                }
                guard average.isFinite else {
                    errors.add("must be a finite number", field: "metrics.\(name)")
                    continue
                }
                metrics[name] = average
            }
        default: errors.add("must be an object {metric: average}", field: "metrics")
        }
        state = .running
        switch members["state"] {
        case nil, .null: break
        case .string(let text):
            if let known = EndpointState(rawValue: text.uppercased()) {
                state = known
            } else {
                errors.add("must be RUNNING, STOPPED or PAUSED", field: "state")
            }
        default: errors.add("must be a string: RUNNING, STOPPED or PAUSED", field: "state")
        }
        guard errors.isEmpty else { throw errors }
    }

    /// The decision for this request.
    public var decision: ScalingDecision {
        ScalingDecision.evaluate(
            rules: rules, metrics: metrics, reportingInstances: instances, current: instances,
            minInstances: minInstances, maxInstances: maxInstances, state: state)
    }

    /// The answer: the decision's JSON (``ScalingDecision/jsonValue(rampLimit:)``).
    public var answer: JSONValue { decision.jsonValue(rampLimit: rampLimit) }

    /// A whole number in `minimum...maximumCount`, or `nil` (with a message) when absent or bad.
    private static func count(_ value: JSONValue?, _ field: String, from minimum: Int, _ errors: inout FieldErrors)
        -> Int?
    {
        switch value {
        case nil, .null:
            return nil
        case .number(let number):
            guard number.isFinite, number == number.rounded() else {
                errors.add("must be a whole number, got \(NumberText.plain(number))", field: field)
                return nil
            }
            guard number >= Double(minimum) else {
                let message =
                    minimum == 0 ? "must not be negative" : "must be at least \(minimum)"
                errors.add("\(message), got \(NumberText.plain(number))", field: field)
                return nil
            }
            guard number <= Double(maximumCount) else {
                errors.add("must be at most \(maximumCount), got \(NumberText.plain(number))", field: field)
                return nil
            }
            return Int(number)
        default:
            errors.add("must be a whole number", field: field)
            return nil
        }
    }
}

extension JSONValue {
    /// The flag, when this is `.bool`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}
