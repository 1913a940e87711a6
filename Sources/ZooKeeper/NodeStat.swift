/// The metadata ZooKeeper keeps for a znode (ZooKeeper's `Stat`).
public struct NodeStat: Hashable, Sendable {
    /// Transaction id that created the node.
    public var czxid: Int64
    /// Transaction id that last modified the node's data.
    public var mzxid: Int64
    /// Creation time, milliseconds since the epoch.
    public var ctime: Int64
    /// Last modification time, milliseconds since the epoch.
    public var mtime: Int64
    /// Data version: the value a compare-and-set must name.
    public var version: Int32
    /// Number of changes to the children.
    public var cversion: Int32
    /// Number of changes to the ACL.
    public var aversion: Int32
    /// Session id of the owner when the node is ephemeral, otherwise 0.
    public var ephemeralOwner: Int64
    /// Length of the data in bytes.
    public var dataLength: Int32
    /// Number of children.
    public var numChildren: Int32
    /// Transaction id that last modified the children.
    public var pzxid: Int64

    public init(
        czxid: Int64 = 0, mzxid: Int64 = 0, ctime: Int64 = 0, mtime: Int64 = 0, version: Int32 = 0,
        cversion: Int32 = 0, aversion: Int32 = 0, ephemeralOwner: Int64 = 0, dataLength: Int32 = 0,
        numChildren: Int32 = 0, pzxid: Int64 = 0
    ) {
        self.czxid = czxid
        self.mzxid = mzxid
        self.ctime = ctime
        self.mtime = mtime
        self.version = version
        self.cversion = cversion
        self.aversion = aversion
        self.ephemeralOwner = ephemeralOwner
        self.dataLength = dataLength
        self.numChildren = numChildren
        self.pzxid = pzxid
    }

    /// Whether the node is ephemeral (disappears with its session).
    public var isEphemeral: Bool { ephemeralOwner != 0 }
}

/// A znode's data with its metadata.
public struct NodeData: Hashable, Sendable {
    /// The bytes stored in the node (empty when the node holds no data).
    public var bytes: [UInt8]
    public var stat: NodeStat

    public init(bytes: [UInt8], stat: NodeStat) {
        self.bytes = bytes
        self.stat = stat
    }

    /// The data decoded as UTF-8 (invalid sequences are repaired).
    public var string: String { String(decoding: bytes, as: UTF8.self) }
}
