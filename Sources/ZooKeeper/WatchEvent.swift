/// A change a watch was set for. A watch fires once; set it again to see the next change.
public struct WatchEvent: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The node was created (existence watches).
        case created
        /// The node was deleted.
        case deleted
        /// The node's data changed.
        case dataChanged
        /// The node's list of children changed.
        case childrenChanged
    }

    public var kind: Kind
    /// The path of the watched node (as the client named it, within its chroot).
    public var path: String

    public init(kind: Kind, path: String) {
        self.kind = kind
        self.path = path
    }

    public var description: String { "\(kind) \(path)" }
}
