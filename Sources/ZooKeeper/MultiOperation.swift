/// One step of an atomic batch for ``ZooKeeperClient/multi(_:)``.
public enum MultiOperation: Sendable, Hashable {
    /// Create a node.
    case create(path: String, data: [UInt8] = [], mode: CreateMode = .persistent)
    /// Set a node's data; `version` -1 matches any version.
    case set(path: String, data: [UInt8], version: Int32 = -1)
    /// Delete a node; `version` -1 matches any version.
    case delete(path: String, version: Int32 = -1)
    /// Require a node to be at `version` (or merely to exist, with -1).
    case check(path: String, version: Int32)

    /// The path the step acts on.
    public var path: String {
        switch self {
        case .create(let path, _, _), .set(let path, _, _), .delete(let path, _), .check(let path, _): path
        }
    }
}

/// The outcome of one step of a successful batch.
public enum MultiResult: Sendable, Hashable {
    /// The path actually created (with its sequence number, if any).
    case created(path: String)
    /// The new metadata after a set.
    case set(NodeStat)
    case deleted
    case checked
}
