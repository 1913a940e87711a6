/// Shared number formatting, so rules, configuration and log lines spell numbers the same way.
public enum NumberText {
    /// `10` for whole numbers, `0.5` otherwise; whole numbers outside the exactly representable
    /// integer range keep Swift's default spelling (`1e+20`).
    public static func plain(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            return String(Int64(value))
        }
        return "\(value)"
    }

    /// A measured value for a message: at most two decimals (`3.33`, not `3.333333333333333`),
    /// whole numbers as in ``plain(_:)``.
    public static func measured(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return plain(value) }
        return plain((value * 100).rounded() / 100)
    }
}
