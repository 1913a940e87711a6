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
    public static let managerNode = "manager"
    public static let epochNode = "manager_epoch"

    public let client: ZooKeeperClient
    /// The uuid of this manager.
    public let managerID: String

    public init(client: ZooKeeperClient, managerID: String) {
        self.client = client
        self.managerID = managerID
    }

    func managerPath(_ id: String) -> String { ZNodeLayout.endpoint(id, Self.managerNode) }
    func epochPath(_ id: String) -> String { ZNodeLayout.endpoint(id, Self.epochNode) }

    /// The uuid of the manager holding the endpoint, if any.
    public func holder(of endpointID: String) async throws -> String? {
        do {
            return try await client.get(managerPath(endpointID)).string
        } catch let error as ZooKeeperError where error.code == .noNode {
            return nil
        }
    }

    /// Claims the endpoint.
    ///
    /// - Returns: the claim, or nil when another manager holds the endpoint.
    /// - Throws: `ZooKeeperError` `noNode` when the endpoint was deleted.
    public func claim(_ endpointID: String) async throws -> OwnershipClaim? {
        let epoch = epochPath(endpointID)
        if try await client.exists(epoch) == nil {
            do {
                try await client.create(epoch)
            } catch let error as ZooKeeperError where error.code == .nodeExists {}
        }
        do {
            let results = try await client.multi([
                .create(path: managerPath(endpointID), data: Array(managerID.utf8), mode: .ephemeral),
                .set(path: epoch, data: Array(managerID.utf8)),
            ])
            guard case .set(let stat) = results[1] else { return nil }
            return OwnershipClaim(endpointID: endpointID, epoch: stat.version)
        } catch let error as ZooKeeperError where error.code == .nodeExists {
            return try await adopt(endpointID)
        }
    }

    /// Takes back a claim this session already holds (the `manager` node is ours and the epoch
    /// still names us), e.g. after the loop restarted.
    private func adopt(_ endpointID: String) async throws -> OwnershipClaim? {
        let holder = try await client.get(managerPath(endpointID))
        guard holder.string == managerID, holder.stat.ephemeralOwner == (try client.sessionID()) else { return nil }
        let epoch = try await client.get(epochPath(endpointID))
        guard epoch.string == managerID else { return nil }
        return OwnershipClaim(endpointID: endpointID, epoch: epoch.stat.version)
    }

    /// Gives the endpoint up (so its new owner can claim it), deleting this owner's ephemeral
    /// nodes with it. A claim that was already lost is not an error.
    public func release(_ claim: OwnershipClaim, alsoDeleting ephemeralChildren: [String] = []) async throws {
        var operations = fence(claim)
        for child in ephemeralChildren {
            let path = ZNodeLayout.endpoint(claim.endpointID, child)
            if try await client.exists(path)?.ephemeralOwner == (try client.sessionID()) {
                operations.append(.delete(path: path))
            }
        }
        operations.append(.delete(path: managerPath(claim.endpointID), version: 0))
        do {
            try await client.multi(operations)
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
            return Array(try await client.multi(fence + operations).dropFirst(fence.count))
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
        [
            .check(path: managerPath(claim.endpointID), version: 0),
            .check(path: epochPath(claim.endpointID), version: claim.epoch),
        ]
    }
}
