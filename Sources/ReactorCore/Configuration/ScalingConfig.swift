/// The `[scaling]` section of an endpoint.
public struct ScalingConfig: Sendable, Hashable {
    /// Section name.
    public static let section = "scaling"
    /// Keys accepted in the section.
    public static let keys = ["min_instances", "max_instances", "rules", "ramp_limit", "dry_run"]

    /// `min_instances`: fewest instances to run; default 1, never negative.
    public var minInstances: Int = 1
    /// `max_instances`: most instances to run; default 1, never below `minInstances`.
    public var maxInstances: Int = 1
    /// `rules`: see ``ScalingRules``; default none (the count stays within min…max).
    public var rules = ScalingRules()
    /// `ramp_limit`: most launches or decommissions per loop round; default 5, at least 1.
    public var rampLimit: Int = 5
    /// `dry_run`: decide and record as usual but launch, recommission and decommission nothing,
    /// logging what would have been done instead; default false.
    public var dryRun = false

    /// A configuration with every default.
    public init() {}

    init(_ document: ConfigDocument, errors: inout ConfigErrors) {
        let reader = SectionReader(Self.section, in: document)
        reader.rejectUnknownKeys(Self.keys, into: &errors)
        let minimum = reader.integer("min_instances", in: 0...Int.max, errors: &errors)
        let maximum = reader.integer("max_instances", in: 0...Int.max, errors: &errors)
        minInstances = minimum ?? minInstances
        maxInstances = maximum ?? maxInstances
        if minInstances > maxInstances {
            // Blame the key the operator actually wrote; with neither written this cannot happen.
            let key = minimum != nil ? "min_instances" : "max_instances"
            errors.add(
                "min_instances (\(minInstances)) is greater than max_instances (\(maxInstances))",
                section: Self.section, key: key)
        }
        rampLimit = reader.integer("ramp_limit", in: 1...Int.max, errors: &errors) ?? rampLimit
        dryRun = reader.boolean("dry_run", errors: &errors) ?? dryRun
        if let text = reader.string("rules") {
            do {
                rules = try ScalingRules.parse(text)
            } catch {
                errors.add(error.message, section: Self.section, key: "rules")
            }
        }
    }

    var jsonSection: JSONValue {
        var values: [String: JSONValue] = [
            "min_instances": .number(Double(minInstances)),
            "max_instances": .number(Double(maxInstances)),
            "ramp_limit": .number(Double(rampLimit)),
        ]
        if !rules.isEmpty { values["rules"] = .string(rules.description) }
        if dryRun { values["dry_run"] = .bool(true) }
        return .object(values)
    }
}
