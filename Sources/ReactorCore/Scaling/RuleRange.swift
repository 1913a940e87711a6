/// The instance counts one rule asks for: `lower…upper`, possibly without an upper end, and
/// possibly empty (`upper < lower`) when a rule's bounds leave no whole count between them, e.g.
/// `10 < rate < 10.5` at a total rate of 20 wants `2…1`.
public struct RuleRange: Sendable, Hashable, CustomStringConvertible {
    /// The fewest instances the rule accepts, never negative.
    public var lower: Int
    /// The most instances the rule accepts; `nil` means no limit. Never negative.
    public var upper: Int?

    /// - Parameters:
    ///   - lower: fewest instances; negative values are raised to 0.
    ///   - upper: most instances, or `nil` (the default) for no limit; negative values are raised to 0.
    public init(lower: Int, upper: Int? = nil) {
        self.lower = max(0, lower)
        self.upper = upper.map { max(0, $0) }
    }

    /// Whether no count satisfies the rule: the rule disagrees with itself.
    public var isEmpty: Bool { upper.map { $0 < lower } ?? false }

    /// The same counts as an ``InstanceRange``, or `nil` when empty.
    public var instanceRange: InstanceRange? {
        isEmpty ? nil : InstanceRange(lower: lower, upper: upper)
    }

    /// `4…10`, `4…∞`, or `2…1` for an empty range.
    public var description: String {
        "\(lower)…\(upper.map(String.init) ?? "∞")"
    }
}
