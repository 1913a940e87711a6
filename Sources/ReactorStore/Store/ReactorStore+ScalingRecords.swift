import ZooKeeper

/// The owner's records of an endpoint's instances: `instances/`, `decommissioned/`, `errored/`
/// and the health marks in `marked_ip/`. Writes are returned as batch steps for the owner to run
/// fenced (``ReactorStore/ownershipFence(id:epoch:)``); only bookkeeping is written directly.
extension ReactorStore {
    /// The record directories an owner works in.
    public static let instanceDirectories = [
        EndpointNode.instances, EndpointNode.decommissioned, EndpointNode.errored, EndpointNode.markedIP,
        EndpointNode.confirmedIPs,
    ]

    /// Creates the endpoint's record directories that are missing.
    /// - Throws: `ZooKeeperError` `noNode` when the endpoint was deleted (never re-created here).
    public func ensureInstanceDirectories(id: String) async throws {
        for child in Self.instanceDirectories {
            let path = ZNodeLayout.endpoint(id, child)
            if try await client.exists(path) == nil { try await createIfAbsent(path) }
        }
    }

    /// The instance ids recorded in `directory` (one of ``instanceDirectories``); empty when it
    /// does not exist.
    public func instanceIDs(id: String, in directory: String) async throws -> [String] {
        try await sortedChildren(of: ZNodeLayout.endpoint(id, directory))
    }

    /// A step that records `instance` (named `name`) in `directory`.
    public func recordInstanceOperation(
        _ instance: String, name: String, id: String, in directory: String = EndpointNode.instances
    ) -> MultiOperation {
        .create(path: ZNodeLayout.endpoint(id, "\(directory)/\(instance)"), data: Array(name.utf8))
    }

    /// A step that removes `instance`'s record from `directory`.
    public func removeInstanceOperation(_ instance: String, id: String, from directory: String) -> MultiOperation {
        .delete(path: ZNodeLayout.endpoint(id, "\(directory)/\(instance)"))
    }

    /// Removes an errored instance's record once the cloud deleted it; one already gone is fine.
    public func removeErroredRecord(_ instance: String, id: String) async throws {
        try await deleteIfPresent(ZNodeLayout.endpoint(id, "\(EndpointNode.errored)/\(instance)"))
    }

    /// `instance`'s health marks as stored, nil when it has none.
    public func instanceMarks(_ instance: String, id: String) async throws -> [UInt8]? {
        try await bytes(at: markPath(instance, id: id))
    }

    /// A step that stores `instance`'s marks: a create when `mayBeAbsent` and there is no node yet,
    /// else a set.
    public func writeMarksOperation(
        _ instance: String, id: String, data: [UInt8], mayBeAbsent: Bool
    ) async throws -> MultiOperation {
        let path = markPath(instance, id: id)
        if mayBeAbsent, try await client.exists(path) == nil { return .create(path: path, data: data) }
        return .set(path: path, data: data)
    }

    /// Removes `instance`'s marks (bookkeeping, not an action: no fence); absent ones are fine.
    public func dropInstanceMarks(_ instance: String, id: String) async throws {
        try await deleteIfPresent(markPath(instance, id: id))
    }

    private func markPath(_ instance: String, id: String) -> String {
        ZNodeLayout.endpoint(id, "\(EndpointNode.markedIP)/\(instance)")
    }
}
