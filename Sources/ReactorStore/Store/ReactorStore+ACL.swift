import ZooKeeper

/// Reactor nodes anyone may change: what a process started with `--zookeeper-auth` refuses to
/// serve on, and `reactor zk secure` closes.
public struct OpenACLError: Error, Sendable, CustomStringConvertible {
    /// The nodes found with the open (`world:anyone`) ACL.
    public let paths: [String]

    public var description: String {
        let shown = paths.prefix(8).joined(separator: ", ") + (paths.count > 8 ? ", … (\(paths.count) in all)" : "")
        return "Reactor's nodes are open to anyone who reaches ZooKeeper (world:anyone ACL): \(shown). They were "
            + "made by a process without --zookeeper-auth. Close them with `reactor zk secure --zookeeper … "
            + "--zookeeper-auth USER:PASSWORD` (the credentials this installation runs with), or start with "
            + "--accept-open-acl to serve on them as they are"
    }
}

extension ReactorStore {
    /// The nodes a process creates Reactor's data under, checked at start: `/reactor` and its
    /// base nodes (where anyone could create a name, a registration or a manager's key).
    public func openACLPaths() async throws -> [String] {
        var open: [String] = []
        for path in [ZNodeLayout.root] + ZNodeLayout.basePaths + [
            "\(ZNodeLayout.root)/endpoints", "\(ZNodeLayout.root)/managers",
        ] {
            do {
                if try await client.acl(path).contains(where: \.isOpen) { open.append(path) }
            } catch let error as ZooKeeperError where error.code == .noNode {
                continue
            }
        }
        return open.sorted()
    }

    /// When this client authenticates and `acceptOpen` is false: refuses to go on while Reactor's
    /// base nodes carry the open ACL.
    /// - Throws: ``OpenACLError`` naming them.
    public func refuseOpenACL(acceptOpen: Bool) async throws {
        guard client.configuration.authentication != nil, !acceptOpen else { return }
        let open = try await openACLPaths()
        guard open.isEmpty else { throw OpenACLError(paths: open) }
    }

    /// Gives every node under `/reactor` (and `/reactor` itself) this client's ACL: every
    /// permission for its credentials, nobody else.
    ///
    /// - Returns: how many nodes were secured.
    /// - Throws: when this client has no credentials (there would be nobody to give them to).
    @discardableResult
    public func secureTree() async throws -> Int {
        guard client.configuration.authentication != nil else { throw SecureTreeError() }
        var count = 0
        var pending = [ZNodeLayout.root]
        while let path = pending.popLast() {
            do {
                try await client.restrictToCreator(path)
                count += 1
                pending += try await client.children(path).map { "\(path)/\($0)" }
            } catch let error as ZooKeeperError where error.code == .noNode {
                continue  // gone meanwhile
            }
        }
        return count
    }
}

/// ``ReactorStore/secureTree()`` without credentials: there would be nobody to give the nodes to.
public struct SecureTreeError: Error, Sendable, CustomStringConvertible {
    public var description: String {
        "securing the tree needs the installation's credentials: --zookeeper-auth USER:PASSWORD "
            + "(env REACTOR_ZOOKEEPER_AUTH)"
    }
}
