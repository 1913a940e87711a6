import Foundation
import ZooKeeper

extension ZNodeLayout {
    /// `/reactor/clouds/process`: the process cloud's records.
    public static let processCloud = "\(clouds)/process"
    /// `/reactor/clouds/process/instances/<endpoint uuid>/<instance id>`: one JSON record an instance.
    public static let processInstances = "\(processCloud)/instances"
    /// `/reactor/clouds/process/ips/<ip>`: the address lease, `<endpoint uuid>/<instance id>`.
    public static let processIPs = "\(processCloud)/ips"

    public static func processInstances(of endpointID: String) -> String { "\(processInstances)/\(endpointID)" }
    public static func processInstance(_ endpointID: String, _ id: String) -> String {
        "\(processInstances)/\(endpointID)/\(id)"
    }
    public static func processIP(_ ip: String) -> String { "\(processIPs)/\(ip)" }
}

/// What the process cloud records of one instance, so that a restarted manager on the same host
/// finds its processes and other hosts' managers know whose they are.
public struct ProcessInstanceRecord: Codable, Sendable, Equatable {
    /// The instance's own loopback address (its lease).
    public var ip: String
    /// The name of the manager whose host runs the process.
    public var host: String
    /// The instance's name, `<endpoint>-<id prefix>`; also its log file's name.
    public var name: String
    /// The process's pid once started.
    public var pid: Int32?
    /// When the process started (clock ticks since boot): with the pid, it names the process, so
    /// a pid reused by a later process is never signalled.
    public var started: UInt64?
    /// Set when a manager of another host asked this host's manager to end the process.
    public var deleting: Bool?

    public init(
        ip: String, host: String, name: String, pid: Int32? = nil, started: UInt64? = nil, deleting: Bool? = nil
    ) {
        self.ip = ip
        self.host = host
        self.name = name
        self.pid = pid
        self.started = started
        self.deleting = deleting
    }
}

/// The process cloud's records: instances and address leases under `/reactor/clouds/process`.
extension ReactorStore {
    /// The ids of the endpoint's process instances, sorted; empty when it has none.
    public func processInstanceIDs(endpointID: String) async throws -> [String] {
        try await sortedChildren(of: ZNodeLayout.processInstances(of: endpointID))
    }

    /// The uuids of endpoints that have process instance records.
    public func processCloudEndpoints() async throws -> [String] {
        try await sortedChildren(of: ZNodeLayout.processInstances)
    }

    /// One instance's record, or `nil` when there is none.
    ///
    /// - Throws: ``InvalidStoredRecord`` when the node holds something else than a record
    ///   (written by hand).
    public func processInstance(endpointID: String, id: String) async throws -> ProcessInstanceRecord? {
        let path = ZNodeLayout.processInstance(endpointID, id)
        guard let bytes = try await bytes(at: path) else { return nil }
        do {
            return try JSONDecoder().decode(ProcessInstanceRecord.self, from: Data(bytes))
        } catch {
            throw InvalidStoredRecord(description: "\(path) is not a process instance record: \(error)")
        }
    }

    /// Whether the instance still has a record.
    public func processInstanceExists(endpointID: String, id: String) async throws -> Bool {
        try await client.exists(ZNodeLayout.processInstance(endpointID, id)) != nil
    }

    /// The addresses leased to process instances (of every endpoint and host).
    public func processLeasedIPs() async throws -> Set<String> {
        Set(try await sortedChildren(of: ZNodeLayout.processIPs))
    }

    /// Which instance holds the lease of `ip`, or `nil` when none does.
    public func processLease(ofIP ip: String) async throws -> (endpointID: String, instanceID: String)? {
        try await lease(at: ZNodeLayout.processIP(ip))
    }

    /// The operations that lease `record.ip` to a new instance and create its record, for the
    /// owner to run in its fenced launch batch (creating the lease fails when another instance
    /// took the address first). The folders they need are made here.
    public func processLaunchOperations(
        _ record: ProcessInstanceRecord, endpointID: String, id: String
    ) async throws -> [MultiOperation] {
        try await createIfAbsent(ZNodeLayout.processInstances(of: endpointID), createParents: true)
        try await createIfAbsent(ZNodeLayout.processIPs, createParents: true)
        return [
            .create(path: ZNodeLayout.processIP(record.ip), data: Array("\(endpointID)/\(id)".utf8)),
            .create(path: ZNodeLayout.processInstance(endpointID, id), data: Array(try JSONEncoder().encode(record))),
        ]
    }

    /// Replaces an instance's record (its pid once started, a deletion mark).
    public func saveProcessInstance(_ record: ProcessInstanceRecord, endpointID: String, id: String) async throws {
        try await client.set(ZNodeLayout.processInstance(endpointID, id), data: Array(try JSONEncoder().encode(record)))
    }

    /// Removes an instance's record and its address lease; either being gone already is fine.
    public func forgetProcessInstance(endpointID: String, id: String, ip: String) async throws {
        try await deleteIfPresent(ZNodeLayout.processInstance(endpointID, id))
        try await deleteIfPresent(ZNodeLayout.processIP(ip))
    }

    /// Removes the endpoint's folder of records once it holds none.
    public func removeProcessEndpointIfEmpty(endpointID: String) async throws {
        try await removeFolderIfEmpty(ZNodeLayout.processInstances(of: endpointID))
    }
}

/// A node holds something else than the record Reactor writes there.
public struct InvalidStoredRecord: Error, Sendable, CustomStringConvertible {
    public let description: String
}
