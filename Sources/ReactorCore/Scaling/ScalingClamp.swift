/// What `[min_instances, max_instances]` did to the range the rules produced (docs/design.md#scaling).
public enum ScalingClamp: String, Sendable, Hashable, CaseIterable {
    /// The rules' range lay within the limits.
    case none
    /// Its lower edge was raised to `min_instances`.
    case raisedToMin = "raised-to-min"
    /// Its upper edge (or its missing upper end) was cut to `max_instances`.
    case cutToMax = "cut-to-max"
    /// Both edges were moved into the limits.
    case both = "raised-and-cut"
    /// The rules want more than `max_instances`: the range became `max_instances` alone.
    case toMax = "to-max"
    /// The rules want fewer than `min_instances`: the range became `min_instances` alone.
    case toMin = "to-min"

    /// Intersects `range` with `[minimum, maximum]`; when they do not meet, the range becomes
    /// `maximum` (the rules want more) or `minimum` (they want fewer).
    ///
    /// - Parameters:
    ///   - range: the rules' range.
    ///   - minimum: `min_instances`, at least 0.
    ///   - maximum: `max_instances`, at least `minimum`.
    static func apply(_ range: InstanceRange, minimum: Int, maximum: Int) -> (ClosedRange<Int>, ScalingClamp) {
        let low = max(range.lower, minimum)
        let high = min(range.upper ?? maximum, maximum)
        if high < low {
            return range.lower > maximum ? (maximum...maximum, .toMax) : (minimum...minimum, .toMin)
        }
        let raised = range.lower < minimum
        let cut = (range.upper ?? Int.max) > maximum
        let clamp: ScalingClamp =
            switch (raised, cut) {
            case (true, true): .both
            case (true, false): .raisedToMin
            case (false, true): .cutToMax
            case (false, false): .none
            }
        return (low...high, clamp)
    }
}
