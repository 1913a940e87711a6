extension ZooKeeperClient {
    /// Deletes a node and everything below it. A node that is already gone is not an error.
    ///
    /// Not atomic: a concurrent writer adding children can make it fail with `notEmpty`, in
    /// which case it tries again (``RetryPolicy/conflicts``).
    public func deleteRecursive(_ path: String) async throws {
        try ZNodePath.validate(path)
        try await RetryPolicy.conflicts.run(retrying: [.notEmpty]) {
            do {
                let names: [String]
                do {
                    names = try await children(path)
                } catch let error as ZooKeeperError where error.code == .noNode {
                    return
                }
                for name in names {
                    try await deleteRecursive(ZNodePath.join(path, name))
                }
                if path == "/" { return }
                try await delete(path)
            } catch let error as ZooKeeperError where error.code == .noNode {
                return
            }
        }
    }
}

extension ZooKeeperClient {
    /// Creates the node unless it exists.
    ///
    /// - Parameters:
    ///   - data: the new node's data; default empty.
    ///   - mode: default persistent.
    ///   - createParents: create missing ancestors (persistent, empty); default false.
    /// - Returns: whether this call created it.
    @discardableResult
    public func createIfAbsent(
        _ path: String, data: [UInt8] = [], mode: CreateMode = .persistent, createParents: Bool = false
    ) async throws -> Bool {
        do {
            try await create(path, data: data, mode: mode, createParents: createParents)
            return true
        } catch let error as ZooKeeperError where error.code == .nodeExists {
            return false
        }
    }

    /// Makes sure the (persistent, empty) node and its ancestors exist; one that exists already,
    /// or is created concurrently, is fine.
    public func ensurePath(_ path: String) async throws {
        if try await exists(path) != nil { return }
        try await createIfAbsent(path, createParents: true)
    }

    /// Sets the node's data, creating the node (with `mode`) when it does not exist.
    ///
    /// - Parameters:
    ///   - mode: used when the node is created; default persistent. An ephemeral node belongs to
    ///     whichever session created it: one left by another session is set, not taken over.
    ///   - createParents: create missing ancestors; default false (the parent must exist).
    /// - Throws: `ZooKeeperError` `noNode` when the parent does not exist and `createParents` is false.
    public func upsert(
        _ path: String, data: [UInt8], mode: CreateMode = .persistent, createParents: Bool = false
    ) async throws {
        do {
            try await RetryPolicy.conflicts.run(retrying: [.nodeExists]) {
                do {
                    try await set(path, data: data)
                } catch let error as ZooKeeperError where error.code == .noNode {
                    // Created concurrently (`nodeExists`): set it on the next attempt.
                    try await create(path, data: data, mode: mode, createParents: createParents)
                }
            }
        } catch let error as ZooKeeperError where error.code == .nodeExists {
            // Created again and again under it: it exists, so it is set.
            try await set(path, data: data)
        }
    }

    /// Deletes the node; one that is already gone is not an error.
    /// - Returns: whether this call deleted it.
    @discardableResult
    public func deleteIfPresent(_ path: String, version: Int32 = -1) async throws -> Bool {
        do {
            try await delete(path, version: version)
            return true
        } catch let error as ZooKeeperError where error.code == .noNode {
            return false
        }
    }

    /// Creates this session's ephemeral node at `path`, replacing one left by an earlier session
    /// of the same owner (the server removes it only when that session's timeout passes).
    ///
    /// - Returns: false when this session already held the node (nothing was written).
    @discardableResult
    public func ensureOwnEphemeral(_ path: String, data: [UInt8]) async throws -> Bool {
        let session = try sessionID()
        if try await exists(path)?.ephemeralOwner == session { return false }
        do {
            try await create(path, data: data, mode: .ephemeral)
        } catch let error as ZooKeeperError where error.code == .nodeExists {
            try await deleteIfPresent(path)
            try await create(path, data: data, mode: .ephemeral)
        }
        return true
    }
}
