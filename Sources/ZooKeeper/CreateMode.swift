/// How a node is created.
public enum CreateMode: Sendable, Hashable {
    /// Stays until deleted.
    case persistent
    /// Deleted by the server when the creating session ends.
    case ephemeral
    /// Persistent, with a monotonically increasing 10-digit counter appended to the name.
    case persistentSequential
    /// Ephemeral, with a monotonically increasing 10-digit counter appended to the name.
    case ephemeralSequential

    /// Whether the server appends a sequence number.
    public var isSequential: Bool {
        self == .persistentSequential || self == .ephemeralSequential
    }

    /// Whether the node ends with its session.
    public var isEphemeral: Bool {
        self == .ephemeral || self == .ephemeralSequential
    }
}
