import ReactorCore
import ZooKeeper

/// An endpoint's last scaling decision, written by its owner (``ReactorCore/DecisionRecord``).
extension ReactorStore {
    /// The last decision recorded for the endpoint, as stored (``ReactorCore/DecisionRecord/jsonValue``);
    /// `nil` before its owner made one.
    public func endpointDecision(id: String) async throws -> JSONValue? {
        try await json(at: ZNodeLayout.endpointDecision(id), from: .cache(keepAbsence: true))
    }

    /// Records the endpoint's decision, replacing the previous one.
    ///
    /// The write goes through `apply`, which carries it out (the owner applies it fenced by its
    /// claim, so a manager that lost the endpoint records nothing); the store only says what to write.
    ///
    /// - Parameters:
    ///   - record: the decision.
    ///   - id: the endpoint's uuid.
    ///   - apply: runs one batch of operations; it may throw `ZooKeeperError` `noNode` for a set of
    ///     a node that does not exist yet, after which the record is created.
    public func recordDecision(
        _ record: DecisionRecord, id: String, through apply: ([MultiOperation]) async throws -> Void
    ) async throws {
        let path = ZNodeLayout.endpointDecision(id)
        let data = Array(record.jsonValue.encoded())
        do {
            try await apply([.set(path: path, data: data)])
        } catch let error as ZooKeeperError where error.code == .noNode {
            try await apply([.create(path: path, data: data)])
        }
    }
}
