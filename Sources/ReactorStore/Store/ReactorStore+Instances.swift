/// Instances associated with an endpoint, and their live sessions.
extension ReactorStore {
    /// The ids of the endpoint's active instances, sorted.
    public func instances(id: String) async throws -> [String] {
        try await sortedChildren(of: ZNodeLayout.endpoint(id, EndpointNode.instances))
    }

    /// Associates an instance with the endpoint; associating it twice is not an error.
    /// - Throws: ``StoreError/endpointNotFound(name:)`` when the endpoint is gone.
    public func associateInstance(_ instance: String, id: String, name: String) async throws {
        try await ensureEndpointDirectory(id: id, name: name, EndpointNode.instances)
        try await createIfAbsent(
            ZNodeLayout.endpoint(id, "\(EndpointNode.instances)/\(instance)"), data: Array(instance.utf8))
    }

    /// Disassociates an instance; one that is not associated is not an error.
    public func disassociateInstance(_ instance: String, id: String) async throws {
        try await deleteIfPresent(ZNodeLayout.endpoint(id, "\(EndpointNode.instances)/\(instance)"))
    }

    /// Live sessions `{"client:port": "backend:port"}` as the balancers publish them.
    public func sessions(id: String) async throws -> [String: String] {
        var result: [String: String] = [:]
        for client in try await sortedChildren(of: ZNodeLayout.endpoint(id, EndpointNode.sessionsActive)) {
            if let backend = try await session(id: id, client: client) { result[client] = backend }
        }
        return result
    }

    /// The backend one client session is connected to, if it is live.
    public func session(id: String, client: String) async throws -> String? {
        try await text(at: ZNodeLayout.endpoint(id, "\(EndpointNode.sessionsActive)/\(client)"))
    }

    /// Asks the balancers to cut a client session.
    /// - Throws: ``StoreError/endpointNotFound(name:)`` when the endpoint is gone.
    public func dropSession(id: String, name: String, client: String) async throws {
        let backend = try await session(id: id, client: client) ?? ""
        try await ensureEndpointDirectory(id: id, name: name, EndpointNode.sessionsDrop)
        try await upsert(ZNodeLayout.endpoint(id, "\(EndpointNode.sessionsDrop)/\(client)"), data: Array(backend.utf8))
    }
}
