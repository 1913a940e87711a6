/// A non-empty range of instance counts, possibly without an upper end.
public struct InstanceRange: Sendable, Hashable, CustomStringConvertible {
    /// The smallest allowed count, never negative.
    public var lower: Int
    /// The largest allowed count; `nil` means unbounded.
    public var upper: Int?

    /// - Parameters:
    ///   - lower: smallest allowed count; negative values are raised to 0.
    ///   - upper: largest allowed count or `nil` for no limit; raised to `lower` if smaller.
    public init(lower: Int, upper: Int? = nil) {
        let lower = max(0, lower)
        self.lower = lower
        self.upper = upper.map { max($0, lower) }
    }

    /// Every count from 0 upwards: the starting point before any rule applies.
    public static let all = InstanceRange(lower: 0)

    /// Whether `count` is allowed.
    public func contains(_ count: Int) -> Bool {
        count >= lower && (upper.map { count <= $0 } ?? true)
    }

    /// The counts allowed by both ranges, or `nil` when they do not overlap.
    public func intersection(_ other: InstanceRange) -> InstanceRange? {
        let newLower = max(lower, other.lower)
        let newUpper: Int? =
            switch (upper, other.upper) {
            case (nil, nil): nil
            case (let a?, nil): a
            case (nil, let b?): b
            case (let a?, let b?): min(a, b)
            }
        if let newUpper, newUpper < newLower { return nil }
        return InstanceRange(lower: newLower, upper: newUpper)
    }

    /// `4…10`, or `4…∞` without an upper end.
    public var description: String {
        "\(lower)…\(upper.map(String.init) ?? "∞")"
    }
}

/// The whole-number bounds an `instances` rule puts on the count.
///
/// `2 < instances` means at least 3, `instances < 10` at most 9, `instances <= 2.5` at most 2.
/// `upper` may come out below `lower`; the rule parser rejects such rules.
struct InstanceCountBounds {
    var lower: Int
    var upper: Int?

    init(_ rule: ScalingRule) {
        if let bound = rule.lower {
            lower =
                bound.isStrict
                ? Int(saturating: bound.value.rounded(.down)) + 1
                : Int(saturating: bound.value.rounded(.up))
        } else {
            lower = 0
        }
        upper = rule.upper.map { bound in
            bound.isStrict
                ? Int(saturating: bound.value.rounded(.up)) - 1
                : Int(saturating: bound.value.rounded(.down))
        }
    }
}

extension Int {
    /// Converts a whole-valued double, saturating instead of trapping on huge values.
    init(saturating value: Double) {
        // Stay well inside Int so that a later `+ 1` cannot overflow.
        let limit = Double(Int.max / 2)
        if value.isNaN {
            self = 0
        } else if value >= limit {
            self = Int.max / 2
        } else if value <= -limit {
            self = -(Int.max / 2)
        } else {
            self = Int(value)
        }
    }
}
