import ReactorCore
import ZooKeeper

/// An endpoint's operator-chosen state and what its manager reports about it.
extension ReactorStore {
    /// The endpoint's state; an absent node reads as ``ReactorCore/EndpointState/paused``.
    public func endpointState(id: String) async throws -> EndpointState {
        let path = ZNodeLayout.endpoint(id, EndpointNode.state)
        return EndpointState(stored: try await text(at: path, from: .cache(keepAbsence: true)))
    }

    /// Sets the endpoint's state.
    /// - Throws: ``StoreError/endpointNotFound(name:)`` when the endpoint is gone.
    public func setEndpointState(_ state: EndpointState, id: String, name: String) async throws {
        do {
            try await upsert(ZNodeLayout.endpoint(id, EndpointNode.state), data: Array(state.rawValue.utf8))
        } catch let error as ZooKeeperError where error.code == .noNode {
            throw StoreError.endpointNotFound(name: name)
        }
    }

    /// The uuid of the manager that owns the endpoint, if one does.
    public func endpointManager(id: String) async throws -> String? {
        let path = ZNodeLayout.endpoint(id, EndpointNode.manager)
        guard let text = try await text(at: path, from: .cache(keepAbsence: true)), !text.isEmpty else {
            return nil
        }
        return text
    }

    /// The backends with active connections, as the owning manager last published them.
    public func endpointActiveBackends(id: String) async throws -> [JSONValue] {
        switch try await json(at: ZNodeLayout.endpoint(id, EndpointNode.liveActive), from: .cache(keepAbsence: true)) {
        case .array(let backends): backends
        case .string(let text): text.split(separator: ",").map { .string(String($0)) }
        default: []
        }
    }
}
