import NIOCore

extension TimeAmount {
    /// The same span as a Swift `Duration`, to nanosecond precision.
    init(_ duration: Duration) {
        let parts = duration.components
        self = .nanoseconds(parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000)
    }
}
