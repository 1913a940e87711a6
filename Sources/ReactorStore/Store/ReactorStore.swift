import Logging
import ZooKeeper

/// Typed reads and writes of Reactor's state in ZooKeeper (the layout of ``ZNodeLayout``), shared
/// by the API server and the managers.
///
/// The store keeps no state of its own: every call reads or writes ZooKeeper (the hot reads
/// through a watch-maintained ``NodeCache`` when one is given), so any number of API processes
/// and managers can use the same ensemble at once. Names and IPs passed in must be
/// validated already (``ReactorCore/NodeName``, ``ReactorCore/IPAddress``).
///
/// Calls throw ``StoreError`` for missing or conflicting things and `ZooKeeperError` when
/// ZooKeeper itself fails.
public struct ReactorStore: Sendable {
    /// The connection every call uses.
    public let client: ZooKeeperClient
    /// Ring sizes of the event logs.
    public let limits: Limits
    /// Serves the hot reads (see ``NodeCache``); `nil`: every read goes to ZooKeeper.
    public let cache: (any NodeCache)?

    /// Sizes of the bounded event logs (docs/design.md#event-logs).
    public struct Limits: Sendable, Hashable {
        /// Entries kept per endpoint log; default 100.
        public var endpointLogEntries: Int
        /// Entries kept per manager log; default 200.
        public var managerLogEntries: Int

        /// - Parameters:
        ///   - endpointLogEntries: default 100.
        ///   - managerLogEntries: default 200.
        public init(endpointLogEntries: Int = 100, managerLogEntries: Int = 200) {
            self.endpointLogEntries = max(1, endpointLogEntries)
            self.managerLogEntries = max(1, managerLogEntries)
        }
    }

    /// - Parameters:
    ///   - client: a connected client; the store never closes it.
    ///   - limits: log ring sizes; default ``Limits/init(endpointLogEntries:managerLogEntries:)``.
    ///   - cache: where the hot reads come from; default `nil` (always ZooKeeper).
    public init(client: ZooKeeperClient, limits: Limits = Limits(), cache: (any NodeCache)? = nil) {
        self.client = client
        self.limits = limits
        self.cache = cache
    }

    /// Creates the base nodes of the layout that do not exist yet. Safe to call from several
    /// processes at once.
    ///
    /// - Parameter acceptOpenACL: when this client authenticates, go on although Reactor's base
    ///   nodes carry the open ACL (default false: refuse, before anything is written).
    /// - Throws: ``StoreAccessError`` when the nodes' ACL is for other ZooKeeper credentials;
    ///   ``OpenACLError`` when they are open to anyone and `acceptOpenACL` is false.
    public func prepareLayout(acceptOpenACL: Bool = false) async throws {
        try await checkAccess()
        try await refuseOpenACL(acceptOpen: acceptOpenACL)
        for path in ZNodeLayout.basePaths {
            do {
                try await createIfAbsent(path, createParents: true)
            } catch let error as ZooKeeperError where error.code == .noAuth {
                throw StoreAccessError(path: path)
            }
        }
        try await checkAccess()
    }
}
