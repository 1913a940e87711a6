import ZooKeeper

/// ZooKeeper refuses this client the installation's nodes: they carry an ACL for other
/// credentials (`--zookeeper-auth`), or this client gave none.
public struct StoreAccessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The node refused.
    public let path: String

    public var description: String {
        "ZooKeeper refuses access to \(path) (noAuth): its ACL is for other credentials than this process gave; "
            + "give the ones the installation was created with: --zookeeper-auth USER:PASSWORD "
            + "(env REACTOR_ZOOKEEPER_AUTH)"
    }
}

extension ReactorStore {
    /// Makes sure this client may read and write the installation: its credentials (or their
    /// absence) match the ACL of `/reactor`. A wrong ZooKeeper password does not fail the session,
    /// so without this a process would start and then fail every call.
    ///
    /// - Throws: ``StoreAccessError`` when ZooKeeper answers `noAuth`.
    public func checkAccess() async throws {
        for path in [ZNodeLayout.root, ZNodeLayout.endpointData] {
            do {
                _ = try await client.children(path)
            } catch let error as ZooKeeperError where error.code == .noAuth {
                throw StoreAccessError(path: path)
            } catch let error as ZooKeeperError where error.code == .noNode {
                continue
            }
        }
    }
}
