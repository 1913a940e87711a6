/// The state of a client's connection and session, as reported on
/// ``ZooKeeperClient/connectionStates()``.
public enum ConnectionState: Sendable, Hashable, CustomStringConvertible {
    /// Not connected yet (the first connection attempt is under way).
    case connecting
    /// A session is established (the first one, or a new one after ``expired``).
    case connected
    /// The connection was lost; the session may survive if a server is reached within the
    /// session timeout. Ephemeral nodes still exist; operations fail with `connectionLoss`.
    case suspended
    /// The connection came back and the same session survived: nothing was lost.
    case reconnected
    /// The session is gone: every ephemeral node and watch of this client is gone. The client
    /// opens a new session by itself (reported as ``connected``) unless it was configured not to.
    case expired
    /// The client was closed.
    case closed

    public var description: String {
        switch self {
        case .connecting: "connecting"
        case .connected: "connected"
        case .suspended: "suspended"
        case .reconnected: "reconnected"
        case .expired: "expired"
        case .closed: "closed"
        }
    }
}
