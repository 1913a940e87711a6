import Foundation
import ReactorCore
import ZooKeeper

/// A manager's own nodes and the watches its loop waits on: its registration, its
/// configuration, the ring of running managers and the instance IP queues.
extension ReactorStore {
    /// Registers manager `id` (ephemeral `managers/keys/<id>`) for this session, replacing a node
    /// left by its expired session.
    /// - Returns: false when this session was registered already.
    @discardableResult
    public func registerManager(id: String, registration: JSONValue) async throws -> Bool {
        try await client.ensureOwnEphemeral(ZNodeLayout.managerKey(id), data: Array(registration.encoded()))
    }

    /// Removes manager `id`'s registration; one already gone is not an error.
    public func unregisterManager(id: String) async throws {
        try await deleteIfPresent(ZNodeLayout.managerKey(id))
    }

    /// The running managers' uuids, with a watch that fires when one joins or leaves.
    public func watchManagerRegistrations() async throws -> (ids: [String], watch: Watch) {
        let (ids, watch) = try await client.childrenWatching(ZNodeLayout.managerKeys)
        return (ids, watch)
    }

    /// Manager `id`'s registration, or nil when it is gone or is not JSON.
    public func managerRegistration(id: String) async throws -> JSONValue? {
        guard let bytes = try await bytes(at: ZNodeLayout.managerKey(id)) else { return nil }
        return JSONValue(validJSON: Data(bytes))  // not JSON: not a manager this ring can use
    }

    /// Manager `name`'s configuration bytes (nil when there is none) and a watch that fires when
    /// it changes or appears. The watch is nil when the node appeared between the two reads this
    /// takes (read it again at once).
    public func watchManagerConfiguration(name: String) async throws -> (bytes: [UInt8]?, watch: Watch?) {
        let path = ZNodeLayout.managerConfig(name)
        do {
            let (node, watch) = try await client.getWatching(path)
            return (node.bytes, watch)
        } catch let error as ZooKeeperError where error.code == .noNode {
            let (stat, watch) = try await client.existsWatching(path)
            return (nil, stat == nil ? watch : nil)
        }
    }

    /// Manager `name`'s configuration bytes, nil when there is none (no watch: for a read while
    /// the watch of ``watchManagerConfiguration(name:)`` is still set).
    public func managerConfigurationBytes(name: String) async throws -> [UInt8]? {
        try await bytes(at: ZNodeLayout.managerConfig(name))
    }

    /// The IPs queued for registration, with a watch on the queue.
    public func watchRegistrationQueue() async throws -> (ips: [String], watch: Watch) {
        let (ips, watch) = try await client.childrenWatching(ZNodeLayout.newIPs)
        return (ips, watch)
    }

    /// The IPs queued for unregistration, with a watch on the queue.
    public func watchUnregistrationQueue() async throws -> (ips: [String], watch: Watch) {
        let (ips, watch) = try await client.childrenWatching(ZNodeLayout.dropIPs)
        return (ips, watch)
    }

    /// Takes `ip` off the registration queue (it was handled).
    public func dequeueRegistration(ip: String) async throws {
        try await deleteIfPresent("\(ZNodeLayout.newIPs)/\(ip)")
    }

    /// Unconfirms `ip` everywhere (the endpoint's `confirmed_ips/<ip>` when `id` is given, and
    /// `ip_addresses/<ip>`) and takes it off the unregistration queue. Nodes already gone are fine.
    public func completeUnregistration(ip: String, id: String?) async throws {
        if let id { try await deleteIfPresent(ZNodeLayout.endpoint(id, "\(EndpointNode.confirmedIPs)/\(ip)")) }
        try await deleteIfPresent(ZNodeLayout.ipAddress(ip))
        try await deleteIfPresent("\(ZNodeLayout.dropIPs)/\(ip)")
    }

    /// Whether endpoint `id`'s data node exists (read from ZooKeeper, never a cache).
    public func endpointExists(id: String) async throws -> Bool {
        try await client.exists(ZNodeLayout.endpoint(id)) != nil
    }

    /// Every endpoint uuid (unsorted, as ZooKeeper lists them).
    /// - Throws: `ZooKeeperError` `noNode` when the layout was never prepared.
    public func endpointIDs() async throws -> [String] {
        try await client.children(ZNodeLayout.endpointData)
    }

    /// Endpoint `id`'s stored configuration bytes with a watch on them, or nil when it is gone.
    public func watchEndpointConfiguration(id: String) async throws -> (bytes: [UInt8], watch: Watch)? {
        do {
            let (node, watch) = try await client.getWatching(ZNodeLayout.endpoint(id))
            return (node.bytes, watch)
        } catch let error as ZooKeeperError where error.code == .noNode {
            return nil
        }
    }

    /// Every endpoint name and alias, with a watch that fires when one is added or removed.
    public func watchEndpointNames() async throws -> (names: [String], watch: Watch) {
        let (names, watch) = try await client.childrenWatching(ZNodeLayout.endpointNames)
        return (names, watch)
    }

    /// The uuid name `name` refers to, read from ZooKeeper; nil when it is gone or empty.
    public func endpointIDIfPresent(named name: String) async throws -> String? {
        guard let id = try await text(at: ZNodeLayout.endpointName(name)), !id.isEmpty else { return nil }
        return id
    }
}
