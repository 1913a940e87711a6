import ReactorStore
import ZooKeeper

/// Proof that this manager holds an endpoint: the epoch version it set when it claimed it.
public struct OwnershipClaim: Sendable, Hashable {
    public let endpointID: String
    /// The version of the endpoint's `manager_epoch` node after this manager's claim.
    public let epoch: Int32
}

/// The endpoint's ownership was lost: another manager claimed it, or this manager's session
/// (and with it the exclusive `manager` node) ended. Nothing of the fenced batch was applied.
public struct OwnershipLost: Error, Sendable, CustomStringConvertible {
    public let endpointID: String
    public let reason: String
    public var description: String { "ownership of endpoint \(endpointID) was lost: \(reason)" }
}

/// Exclusive, fenced ownership of endpoints.
///
/// Claiming creates the endpoint's EPHEMERAL `manager` node (exclusive: it fails while anyone
/// else holds it) and, in the same batch, bumps the persistent `manager_epoch` node, whose new
/// version is the claim's epoch. Every action an owner takes is a batch that starts with
/// `check(manager, 0)` and `check(manager_epoch, epoch)`:
/// - if this manager's session expired, its `manager` node is gone → the check fails;
/// - if another manager claimed since, the epoch moved on → the check fails;
/// so a manager that lost ownership without noticing (frozen, partitioned, slow) cannot act.
/// Side effects outside ZooKeeper (launching a VM or a process) are recorded by a fenced batch
/// *before* they are carried out, so a stale owner stops before acting.
public struct EndpointOwnership: Sendable {
    public static let managerNode = EndpointNode.manager
    public static let epochNode = EndpointNode.managerEpoch

    public let store: ReactorStore
    /// The uuid of this manager.
    public let managerID: String
    /// Where each fenced batch that was applied is recorded, if anywhere.
    public let audit: FenceAudit?

    public init(store: ReactorStore, managerID: String, audit: FenceAudit? = nil) {
        self.store = store
        self.managerID = managerID
        self.audit = audit
    }

    /// Ownership through a store on `client` (default limits, no cache).
    public init(client: ZooKeeperClient, managerID: String) {
        self.init(store: ReactorStore(client: client), managerID: managerID)
    }

    /// The uuid of the manager holding the endpoint, if any.
    public func holder(of endpointID: String) async throws -> String? {
        try await store.endpointHolder(id: endpointID)
    }

    /// Claims the endpoint.
    ///
    /// - Returns: the claim, or nil when another manager holds the endpoint.
    /// - Throws: `ZooKeeperError` `noNode` when the endpoint was deleted.
    /// - Parameter name: a name of the endpoint (see ``ReactorStore/claimEndpoint(id:managerID:name:)``).
    public func claim(_ endpointID: String, name: String? = nil) async throws -> OwnershipClaim? {
        if let epoch = try await store.claimEndpoint(id: endpointID, managerID: managerID, name: name) {
            return OwnershipClaim(endpointID: endpointID, epoch: epoch)
        }
        // Held already: by this session (e.g. after the loop restarted) it is taken back.
        return try await store.heldClaimEpoch(id: endpointID, managerID: managerID).map {
            OwnershipClaim(endpointID: endpointID, epoch: $0)
        }
    }

    /// Gives the endpoint up (so its new owner can claim it), deleting this owner's ephemeral
    /// nodes with it. A claim that was already lost is not an error.
    public func release(_ claim: OwnershipClaim, alsoDeleting ephemeralChildren: [String] = []) async throws {
        let operations =
            fence(claim) + (try await store.releaseOperations(id: claim.endpointID, deleting: ephemeralChildren))
        do {
            try await store.commit(operations)
        } catch let error as ZooKeeperError where [.noNode, .badVersion].contains(error.code) {
            return
        }
    }

    /// Applies `operations` only while `claim` still holds.
    ///
    /// - Throws: ``OwnershipLost`` when it does not (nothing was applied); `ZooKeeperError` for
    ///   a failure of one of `operations` (with `failedStep` counted within `operations`).
    @discardableResult
    public func fenced(_ claim: OwnershipClaim, _ operations: [MultiOperation]) async throws -> [MultiResult] {
        let fence = fence(claim)
        do {
            let results = Array(try await store.commit(fence + operations).dropFirst(fence.count))
            audit?.record(
                endpoint: claim.endpointID, epoch: claim.epoch, manager: managerID, operations: operations.count)
            return results
        } catch let error as ZooKeeperError {
            guard let step = error.failedStep else { throw error }
            if step < fence.count {
                let reason =
                    error.code == .noNode
                    ? "the exclusive manager node is gone (session ended or endpoint released)"
                    : "another manager claimed it since (epoch moved past \(claim.epoch))"
                throw OwnershipLost(endpointID: claim.endpointID, reason: reason)
            }
            throw ZooKeeperError(
                error.code, path: error.path, failedStep: step - fence.count, message: error.message)
        }
    }

    private func fence(_ claim: OwnershipClaim) -> [MultiOperation] {
        store.ownershipFence(id: claim.endpointID, epoch: claim.epoch)
    }
}
