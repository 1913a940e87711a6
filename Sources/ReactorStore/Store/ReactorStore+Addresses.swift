import ZooKeeper

/// Instance IP registration queues and confirmed IPs.
extension ReactorStore {
    /// Queues `ip` for registration; a manager decides which endpoint (if any) it belongs to.
    public func queueRegistration(ip: String) async throws {
        try await createIfAbsent("\(ZNodeLayout.newIPs)/\(ip)")
    }

    /// Queues `ip` for unregistration.
    public func queueUnregistration(ip: String) async throws {
        try await createIfAbsent("\(ZNodeLayout.dropIPs)/\(ip)")
    }

    /// The IPs waiting for registration, sorted.
    public func queuedRegistrations() async throws -> [String] {
        try await sortedChildren(of: ZNodeLayout.newIPs)
    }

    /// The IPs waiting for unregistration, sorted.
    public func queuedUnregistrations() async throws -> [String] {
        try await sortedChildren(of: ZNodeLayout.dropIPs)
    }

    /// The uuid of the endpoint `ip` is confirmed for.
    /// - Throws: ``StoreError/noEndpointForIP(_:)``.
    public func endpointID(forConfirmedIP ip: String) async throws -> String {
        guard let id = try await text(at: ZNodeLayout.ipAddress(ip), from: .cache(keepAbsence: false)), !id.isEmpty
        else {
            throw StoreError.noEndpointForIP(ip)
        }
        return id
    }

    /// Records `ip` as a confirmed instance IP of the endpoint (what a manager does once the
    /// cloud shows the IP belongs to one of the endpoint's instances).
    public func confirmIP(_ ip: String, id: String, name: String, instance: String = "") async throws {
        try await ensureEndpointDirectory(id: id, name: name, EndpointNode.confirmedIPs)
        try await upsert(ZNodeLayout.endpoint(id, "\(EndpointNode.confirmedIPs)/\(ip)"), data: Array(instance.utf8))
        try await upsert(ZNodeLayout.ipAddress(ip), data: Array(id.utf8))
    }

    /// The endpoint's confirmed instance IPs, sorted.
    public func confirmedIPs(id: String) async throws -> [String] {
        try await sortedChildren(of: ZNodeLayout.endpoint(id, EndpointNode.confirmedIPs))
    }
}
