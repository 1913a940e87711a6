import ZooKeeper

/// A value read with a one-shot watch, read again only once the watch fired (or ended with the
/// session). Reading with a new watch while the last one is still set would add a watch per
/// read: the client keeps each until it fires, so a loop that re-arms every pass grows without
/// bound (four per pass, measured, before this type).
struct KeptWatch<Value: Sendable> {
    private(set) var value: Value?
    private(set) var watch: Watch?

    /// The value and its watch: the kept ones while the watch is set, else what `read` returns
    /// (then kept).
    mutating func current(_ read: () async throws -> (Value, Watch)) async throws -> (value: Value, watch: Watch) {
        if let value, let watch, !watch.hasFired { return (value, watch) }
        let (fresh, watch) = try await read()
        value = fresh
        self.watch = watch
        return (fresh, watch)
    }

}
