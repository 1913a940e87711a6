import ZooKeeper

/// An endpoint's ownership nodes: the exclusive EPHEMERAL `manager` node and the persistent
/// `manager_epoch` node whose version fences every owner write (the manager's
/// `EndpointOwnership` explains the protocol).
extension ReactorStore {
    /// The uuid of the manager holding endpoint `id`, read from ZooKeeper; nil when none does.
    public func endpointHolder(id: String) async throws -> String? {
        try await text(at: ZNodeLayout.endpoint(id, EndpointNode.manager))
    }

    /// Claims endpoint `id` for manager `managerID` in one batch: creates the exclusive
    /// `manager` node and bumps the epoch.
    ///
    /// - Returns: the new epoch version, or nil when another session holds the `manager` node.
    /// - Throws: `ZooKeeperError` `noNode` when the endpoint was deleted.
    ///   - name: a name the claimer knows the endpoint by: the epoch node of an endpoint made before
    ///     it existed is created only while that name still refers to the endpoint. A delete removes
    ///     the name first and the epoch with the data, so a claim racing a delete cannot start the
    ///     epochs again from 1 (which a fenced earlier owner may have used). Nil: created regardless.
    public func claimEndpoint(id: String, managerID: String, name: String? = nil) async throws -> Int32? {
        let epoch = ZNodeLayout.endpoint(id, EndpointNode.managerEpoch)
        if try await client.exists(epoch) == nil {
            if let name {
                guard !name.isEmpty, try await text(at: ZNodeLayout.endpointName(name)) == id else { return nil }
            }
            try await client.createIfAbsent(epoch)
        }
        do {
            let results = try await client.multi([
                .create(
                    path: ZNodeLayout.endpoint(id, EndpointNode.manager), data: Array(managerID.utf8), mode: .ephemeral),
                .set(path: epoch, data: Array(managerID.utf8)),
            ])
            guard case .set(let stat) = results[1] else { return nil }
            return stat.version
        } catch let error as ZooKeeperError where error.code == .nodeExists {
            return nil
        }
    }

    /// The epoch of a claim this session already holds on endpoint `id` (the `manager` node is
    /// this session's and the epoch names `managerID`); nil otherwise.
    public func heldClaimEpoch(id: String, managerID: String) async throws -> Int32? {
        guard let holder = try await node(at: ZNodeLayout.endpoint(id, EndpointNode.manager)),
            holder.string == managerID, holder.stat.ephemeralOwner == (try client.sessionID()),
            let epoch = try await node(at: ZNodeLayout.endpoint(id, EndpointNode.managerEpoch)),
            epoch.string == managerID
        else { return nil }
        return epoch.stat.version
    }

    /// The steps every owner batch starts with: the `manager` node still exists unchanged and the
    /// epoch is still `epoch`.
    public func ownershipFence(id: String, epoch: Int32) -> [MultiOperation] {
        [
            .check(path: ZNodeLayout.endpoint(id, EndpointNode.manager), version: 0),
            .check(path: ZNodeLayout.endpoint(id, EndpointNode.managerEpoch), version: epoch),
        ]
    }

    /// The steps that give endpoint `id` up: delete this session's ephemeral `children` (those it
    /// holds) and the `manager` node. To be run after ``ownershipFence(id:epoch:)``.
    public func releaseOperations(id: String, deleting children: [String]) async throws -> [MultiOperation] {
        var operations: [MultiOperation] = []
        let session = try client.sessionID()
        for child in children {
            let path = ZNodeLayout.endpoint(id, child)
            if try await client.exists(path)?.ephemeralOwner == session { operations.append(.delete(path: path)) }
        }
        operations.append(.delete(path: ZNodeLayout.endpoint(id, EndpointNode.manager), version: 0))
        return operations
    }

    /// Runs `operations` as one atomic batch (an owner's fenced batch, built from the store's
    /// operations).
    @discardableResult
    public func commit(_ operations: [MultiOperation]) async throws -> [MultiResult] {
        try await client.multi(operations)
    }
}
