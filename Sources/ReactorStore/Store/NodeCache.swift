/// Where the store's hot reads come from when they need not go to ZooKeeper each time: the API
/// gives its store a cache kept current by watches (`WatchedNodeCache`, which the API uses); without
/// one, every read goes to ZooKeeper.
///
/// Only reads on a request's hot path use it: name → uuid, confirmed IP → uuid, the admin key
/// hash, an endpoint's configuration, state, manager, active backends and last scaling decision. Writes never do, and
/// read-modify-write steps inside the store always read ZooKeeper.
public protocol NodeCache: Sendable {
    /// The data of the node at `path` (`nil` when it does not exist), as `decode` makes it.
    ///
    /// The decoded value may be kept with the data and handed out again until the node changes,
    /// so `decode` must depend on the bytes alone and be the same function for one path and
    /// value type.
    ///
    /// - Parameters:
    ///   - path: the node, relative to the connection's chroot.
    ///   - keepAbsence: whether "does not exist" may be remembered as well (nodes whose absence is
    ///     an answer, like an endpoint's state), or only nodes that exist (lookups by names that
    ///     come from requests, so that unknown names cannot fill the cache).
    ///   - decode: turns the node's data, or `nil` for an absent node, into the value.
    func value<Value: Sendable>(
        at path: String, keepAbsence: Bool, decode: @Sendable ([UInt8]?) throws -> Value
    ) async throws -> Value
}
