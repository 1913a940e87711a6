import Foundation
import ReactorCore
import ZooKeeper

extension ZNodeLayout {
    /// `/reactor/clouds/docker`: the docker cloud's records.
    public static let dockerCloud = "\(clouds)/docker"
    /// `/reactor/clouds/docker/hosts/<manager name>`: ephemeral, one a live docker host (JSON
    /// ``DockerHostRecord``).
    public static let dockerHosts = "\(dockerCloud)/hosts"
    /// `/reactor/clouds/docker/instances/<endpoint uuid>/<instance id>`: one JSON
    /// ``DockerInstanceRecord`` a container; written by the endpoint's owner (the fenced start
    /// request), completed by the manager of the host it names.
    public static let dockerInstances = "\(dockerCloud)/instances"
    /// `/reactor/clouds/docker/ips/<address>`: a container's address lease (its IP, or
    /// `ip:port` for a port its engine publishes), `<endpoint uuid>/<instance id>`.
    public static let dockerIPs = "\(dockerCloud)/ips"

    public static func dockerHost(_ name: String) -> String { "\(dockerHosts)/\(name)" }
    public static func dockerInstances(of endpointID: String) -> String { "\(dockerInstances)/\(endpointID)" }
    public static func dockerInstance(_ endpointID: String, _ id: String) -> String {
        "\(dockerInstances)/\(endpointID)/\(id)"
    }
    public static func dockerIP(_ ip: String) -> String { "\(dockerIPs)/\(ip)" }
}

/// What a docker host's manager publishes while it lives: its capacity and its addresses.
public struct DockerHostRecord: Codable, Sendable, Equatable {
    /// Slots the host offers (`[cloud:docker] slots` of its manager).
    public var slots: Int
    /// Slots its containers take, as its manager last counted.
    public var used: Int
    /// The pool its containers take addresses from (`network = host`).
    public var addresses: String
    /// The address the engine publishes ports on (bridge and named networks); nil in records of
    /// managers that predate it (those publish on an address of the pool).
    public var publishAddress: String?
    /// The host ports it publishes them on, `first-last`.
    public var ports: String?

    public init(slots: Int, used: Int, addresses: String, publishAddress: String? = nil, ports: String? = nil) {
        self.slots = slots
        self.used = used
        self.addresses = addresses
        self.publishAddress = publishAddress
        self.ports = ports
    }
}

/// One container of the docker cloud: the owner's start request, then what the host's manager
/// made of it.
public struct DockerInstanceRecord: Codable, Sendable, Equatable {
    /// The manager (host) that runs it; only that manager talks to its engine.
    public var host: String
    /// `<endpoint>-<id prefix>`, for logs.
    public var name: String
    /// The endpoint's name at launch (`REACTOR_ENDPOINT`); nil in records that predate it.
    public var endpoint: String?
    /// Slots it takes on its host.
    public var slots: Int
    /// Its address: leased from the host's pool (`network = host`), or the host's publish address.
    public var ip: String
    /// The host port its engine publishes the endpoint's port on (bridge and named networks);
    /// nil with `network = host`.
    public var hostPort: Int?
    /// The endpoint's `[cloud:docker]` section when it was launched: what the host's manager
    /// makes the container from.
    public var settings: [String: String]
    /// `[endpoint] port`.
    public var port: Int?
    /// The engine's container id once created.
    public var container: String?
    /// Why it is not running, as its host's manager saw it; nil while it runs or starts.
    public var failure: String?
    /// Set when another manager asked the host's manager to remove it.
    public var deleting: Bool?
    /// Set once its host's manager registered the backend for it (it accepted a connection).
    public var registered: Bool?

    public init(
        host: String, name: String, endpoint: String? = nil, slots: Int, ip: String, settings: [String: String],
        port: Int?, hostPort: Int? = nil, container: String? = nil, failure: String? = nil, deleting: Bool? = nil,
        registered: Bool? = nil
    ) {
        self.host = host
        self.name = name
        self.endpoint = endpoint
        self.slots = slots
        self.ip = ip
        self.settings = settings
        self.port = port
        self.hostPort = hostPort
        self.container = container
        self.failure = failure
        self.deleting = deleting
        self.registered = registered
    }

    /// How the balancers reach it, and the name of its lease and `confirmed_ips` node: its IP,
    /// or `ip:port` when its engine publishes a host port (see ``BackendAddress``).
    public var backend: String {
        guard let hostPort, let address = IPAddress(ip) else { return ip }
        return BackendAddress(ip: address, port: hostPort).description
    }
}

/// The docker cloud's records under `/reactor/clouds/docker`.
extension ReactorStore {
    /// Publishes (or refreshes) this manager's host record; the node is ephemeral, so the host
    /// leaves the placement with its manager's session.
    public func publishDockerHost(_ name: String, _ record: DockerHostRecord) async throws {
        try await client.ensurePath(ZNodeLayout.dockerHosts)
        let data = Array(try JSONEncoder().encode(record))
        let path = ZNodeLayout.dockerHost(name)
        if try await !client.ensureOwnEphemeral(path, data: data) {
            try await client.set(path, data: data)
        }
    }

    /// Removes this manager's host record (it stops offering docker).
    public func withdrawDockerHost(_ name: String) async throws {
        try await deleteIfPresent(ZNodeLayout.dockerHost(name))
    }

    /// The live docker hosts by manager name; a record that cannot be read is left out.
    public func dockerHosts() async throws -> [String: DockerHostRecord] {
        var hosts: [String: DockerHostRecord] = [:]
        for name in try await sortedChildren(of: ZNodeLayout.dockerHosts) {
            guard let bytes = try await bytes(at: ZNodeLayout.dockerHost(name)) else { continue }
            // Written by Reactor alone; one that does not decode is from another version and is
            // not placed on (its manager publishes again on its next pass).
            if let record = try? JSONDecoder().decode(DockerHostRecord.self, from: Data(bytes)) {
                hosts[name] = record
            }
        }
        return hosts
    }

    /// The ids of the endpoint's docker instances, sorted.
    public func dockerInstanceIDs(endpointID: String) async throws -> [String] {
        try await sortedChildren(of: ZNodeLayout.dockerInstances(of: endpointID))
    }

    /// The uuids of endpoints with docker instance records.
    public func dockerCloudEndpoints() async throws -> [String] {
        try await sortedChildren(of: ZNodeLayout.dockerInstances)
    }

    /// One record, or nil when there is none.
    ///
    /// - Throws: ``InvalidStoredRecord`` when the node holds something else.
    public func dockerInstance(endpointID: String, id: String) async throws -> DockerInstanceRecord? {
        let path = ZNodeLayout.dockerInstance(endpointID, id)
        guard let bytes = try await bytes(at: path) else { return nil }
        do {
            return try JSONDecoder().decode(DockerInstanceRecord.self, from: Data(bytes))
        } catch {
            throw InvalidStoredRecord(description: "\(path) is not a docker instance record: \(error)")
        }
    }

    /// Every docker record of every endpoint, for placement (slots in use per host) and for a
    /// host's own housekeeping. Records that cannot be read are skipped (and reported by
    /// `invalid`).
    public func allDockerInstances(
        invalid: (InvalidStoredRecord) -> Void = { _ in }
    ) async throws -> [(endpointID: String, id: String, record: DockerInstanceRecord)] {
        var all: [(endpointID: String, id: String, record: DockerInstanceRecord)] = []
        for endpoint in try await dockerCloudEndpoints() {
            for id in try await dockerInstanceIDs(endpointID: endpoint) {
                do {
                    if let record = try await dockerInstance(endpointID: endpoint, id: id) {
                        all.append((endpoint, id, record))
                    }
                } catch let error as InvalidStoredRecord {
                    invalid(error)
                }
            }
        }
        return all
    }

    /// The addresses leased to containers.
    public func dockerLeasedIPs() async throws -> Set<String> {
        Set(try await sortedChildren(of: ZNodeLayout.dockerIPs))
    }

    /// Which instance holds the lease of `ip`.
    public func dockerLease(ofIP ip: String) async throws -> (endpointID: String, instanceID: String)? {
        try await lease(at: ZNodeLayout.dockerIP(ip))
    }

    /// The start request: the record and its address lease, for the owner's
    /// fenced launch batch. The folders they need are made here.
    public func dockerLaunchOperations(
        _ record: DockerInstanceRecord, endpointID: String, id: String
    ) async throws -> [MultiOperation] {
        try await createIfAbsent(ZNodeLayout.dockerInstances(of: endpointID), createParents: true)
        try await createIfAbsent(ZNodeLayout.dockerIPs, createParents: true)
        return [
            .create(path: ZNodeLayout.dockerIP(record.backend), data: Array("\(endpointID)/\(id)".utf8)),
            .create(path: ZNodeLayout.dockerInstance(endpointID, id), data: Array(try JSONEncoder().encode(record))),
        ]
    }

    /// Replaces a record (its container once made, a failure, a deletion mark).
    public func saveDockerInstance(_ record: DockerInstanceRecord, endpointID: String, id: String) async throws {
        try await client.set(ZNodeLayout.dockerInstance(endpointID, id), data: Array(try JSONEncoder().encode(record)))
    }

    /// Removes a record and its lease; either being gone already is fine.
    public func forgetDockerInstance(endpointID: String, id: String, record: DockerInstanceRecord) async throws {
        try await deleteIfPresent(ZNodeLayout.dockerInstance(endpointID, id))
        try await deleteIfPresent(ZNodeLayout.dockerIP(record.backend))
    }

    /// Removes the endpoint's folder of records once it holds none.
    public func removeDockerEndpointIfEmpty(endpointID: String) async throws {
        try await removeFolderIfEmpty(ZNodeLayout.dockerInstances(of: endpointID))
    }
}
