import ZooKeeper

/// The steps that take an active instance out of `instances/` together with every IP confirmed
/// for it, as one batch the owner applies fenced.
///
/// Confirmation and retirement exclude each other through the version of the instance's
/// `instances/<id>` node: ``ReactorStore/confirmInstanceIP(_:id:name:instance:)`` writes that
/// node (bumping its version) in the same batch that confirms the IP, and the batch here deletes
/// it at the version it was read at. A confirmation that lands after ``ReactorStore/retirement(
/// of:id:ips:)`` read the node makes the batch fail with `badVersion` (read again and retry); a
/// confirmation after the batch finds no instance and is refused. So a decommissioned, errored
/// or deleted instance never keeps a confirmed IP.
public struct InstanceRetirement: Sendable {
    /// The instance's id.
    public let instance: String
    /// The name stored in its record.
    public let name: String
    /// The IPs confirmed for it when the record was read.
    public let confirmedIPs: [String]
    /// Delete the record (at the version read) and unconfirm `confirmedIPs`.
    public let operations: [MultiOperation]
}

/// Why an instance IP was not confirmed.
public enum InstanceConfirmationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The instance has no record in `instances/` (it was decommissioned, errored or deleted).
    case instanceNotActive(String)

    public var description: String {
        switch self {
        case .instanceNotActive(let instance): "instance \(instance) is not active"
        }
    }
}

extension ReactorStore {
    /// Confirms `ip` for an active instance: its record, the endpoint's `confirmed_ips/<ip>` and
    /// `/reactor/ip_addresses/<ip>` are written in one batch, which fails when the instance is
    /// no longer active (see ``InstanceRetirement``).
    /// - Throws: ``InstanceConfirmationError/instanceNotActive(_:)``;
    ///   ``StoreError/endpointNotFound(name:)`` when the endpoint is gone.
    public func confirmInstanceIP(_ ip: String, id: String, name: String, instance: String) async throws {
        try await ensureEndpointDirectory(id: id, name: name, EndpointNode.confirmedIPs)
        let record = ZNodeLayout.endpoint(id, "\(EndpointNode.instances)/\(instance)")
        let confirmed = ZNodeLayout.endpoint(id, "\(EndpointNode.confirmedIPs)/\(ip)")
        let address = ZNodeLayout.ipAddress(ip)
        do {
            // The record or an address node changed between the read and the batch: read again.
            try await RetryPolicy.conflicts.run(retrying: [.badVersion, .noNode, .nodeExists]) {
                guard let node = try await node(at: record) else {
                    throw InstanceConfirmationError.instanceNotActive(instance)
                }
                var batch: [MultiOperation] = [.set(path: record, data: node.bytes, version: node.stat.version)]
                batch.append(try await upsertOperation(confirmed, data: Array(instance.utf8)))
                batch.append(try await upsertOperation(address, data: Array(id.utf8)))
                try await client.multi(batch)
            }
        } catch let error as ZooKeeperError where error.code == .noNode && error.failedStep == 0 {
            throw InstanceConfirmationError.instanceNotActive(instance)
        }
    }

    /// Reads what retiring `instance` takes: its record (with the version to delete it at) and
    /// the IPs confirmed for it, among `ips` when given (the addresses its cloud lists), else
    /// among every confirmed IP of the endpoint. `nil` when the instance has no record.
    /// - Parameter movingTo: the directory its record moves to (``EndpointNode/decommissioned``
    ///   or ``EndpointNode/errored``); nil to drop it.
    public func retirement(
        of instance: String, id: String, ips: [String]? = nil, movingTo directory: String? = nil
    ) async throws -> InstanceRetirement? {
        let record = ZNodeLayout.endpoint(id, "\(EndpointNode.instances)/\(instance)")
        guard let node = try await node(at: record) else { return nil }
        let candidates: [String]
        if let ips { candidates = ips } else { candidates = try await confirmedIPs(id: id) }
        var operations: [MultiOperation] = [.delete(path: record, version: node.stat.version)]
        var confirmed: [String] = []
        for ip in Set(candidates).sorted() {
            let confirmedPath = ZNodeLayout.endpoint(id, "\(EndpointNode.confirmedIPs)/\(ip)")
            guard let owner = try await self.node(at: confirmedPath) else { continue }
            // An IP confirmed for another instance (an address reused) is not this one's to drop.
            let holder = String(decoding: owner.bytes, as: UTF8.self)
            guard holder.isEmpty || holder == instance else { continue }
            confirmed.append(ip)
            operations.append(.delete(path: confirmedPath, version: owner.stat.version))
            let address = ZNodeLayout.ipAddress(ip)
            if let global = try await self.node(at: address), String(decoding: global.bytes, as: UTF8.self) == id {
                operations.append(.delete(path: address, version: global.stat.version))
            }
        }
        if let directory {
            try await createIfAbsent(ZNodeLayout.endpoint(id, directory))
            let moved = ZNodeLayout.endpoint(id, "\(directory)/\(instance)")
            operations.append(try await upsertOperation(moved, data: node.bytes))
        }
        return InstanceRetirement(
            instance: instance, name: String(decoding: node.bytes, as: UTF8.self), confirmedIPs: confirmed,
            operations: operations)
    }

    /// The node's data and version, or `nil` when it does not exist.
    func node(at path: String) async throws -> NodeData? {
        NodeReadLog.notCovered()
        do {
            return try await client.get(path)
        } catch let error as ZooKeeperError where error.code == .noNode {
            return nil
        }
    }

    /// A batch step that sets `path` when it exists (at the version read) and creates it otherwise.
    func upsertOperation(_ path: String, data: [UInt8]) async throws -> MultiOperation {
        if let stat = try await client.exists(path) {
            return .set(path: path, data: data, version: stat.version)
        }
        return .create(path: path, data: data)
    }
}
