/// A one-shot watch set by a read (``ZooKeeperClient/getWatching(_:)`` and friends).
///
/// It fires once, on the next change of what was read; read again to set the next one.
public struct Watch: Sendable {
    let box: WatchBox

    /// Waits for the change.
    ///
    /// - Throws: ``ZooKeeperError`` `sessionExpired` when the session ended first (the watch is
    ///   gone with it), `clientClosed` when the client was closed; `CancellationError` when the
    ///   waiting task is cancelled (the watch stays set and a later call can still see it).
    public func event() async throws -> WatchEvent {
        try await box.wait()
    }

    /// Whether the watch has fired (or ended).
    public var hasFired: Bool { box.isDone }
}
