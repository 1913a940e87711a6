/// One entry of a node's access control list: who (`scheme:id`) may do what (`permissions`, the
/// `ZOO_PERM_*` bits: read 1, write 2, create 4, delete 8, admin 16).
public struct NodeACL: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String
    public var id: String
    public var permissions: Int32

    public init(scheme: String, id: String, permissions: Int32) {
        self.scheme = scheme
        self.id = id
        self.permissions = permissions
    }

    /// Whether the entry grants something to everyone (`world:anyone`), authenticated or not.
    public var isOpen: Bool { scheme == "world" && id == "anyone" && permissions != 0 }

    public var description: String { "\(scheme):\(id) (permissions \(permissions))" }
}

extension ZooKeeperClient {
    /// The access control list of the node at `path`.
    /// - Throws: ``ZooKeeperError`` `noNode` when it does not exist.
    public func acl(_ path: String) async throws -> [NodeACL] {
        try ZNodePath.validate(path)
        return try await requestACL(path)
    }

    /// Gives the node at `path` the ACL this client creates nodes with: every permission for the
    /// identity it authenticated as, nobody else (the `auth` scheme); the open ACL when it did not
    /// authenticate.
    public func restrictToCreator(_ path: String) async throws {
        try ZNodePath.validate(path)
        try await requestSetCreatorACL(path)
    }
}
