import DockerEngine
import Foundation
import Logging
import ReactorCore
import ReactorStore
import ZooKeeper

/// The `docker` cloud (docs/design.md#docker-cloud): containers on the Docker engines of the hosts whose
/// managers run it, placed by slots.
///
/// The endpoint's owner picks the live docker host with the most free slots and writes a start
/// request (the instance's record, with an address leased from that host's pool) in its fenced
/// launch batch. Only the manager of that host talks to its engine: it makes the container
/// (named after the record, so a request is never carried out twice), reports its id, watches it
/// and removes it. Containers are labelled with their endpoint, instance, manager and
/// installation, so a restarted manager adopts its containers and removes those no record names.
///
/// Addresses: with `network = host` every container gets an address from its host's pool
/// (`[cloud:docker] addresses` of the manager; `REACTOR_INSTANCE_IP`) and binds it itself. On a
/// bridge or named network the engine publishes the endpoint's port on a host port of its own
/// (`[cloud:docker] ports`) at the host's publish address, and the backend is `address:port`
/// (``BackendAddress``). Either way the host's manager registers the backend once the application
/// accepts a connection (a container may register itself too), and the address (or address and
/// port) is leased in the fenced launch batch, so two launches never share one.
public struct DockerCloud: CloudDriver {
    public let name = "docker"
    public let client: ZooKeeperClient
    /// This host's manager name (the `host` of the records it carries out).
    public let host: String
    /// `REACTOR_API` for containers when `/reactor/url` is not set.
    public let apiURL: String
    public let logger: Logger
    public let liveHosts: @Sendable () async -> Set<String>
    /// The manager's own `[cloud:docker]` section, as its configuration says now.
    public let hostSection: @Sendable () -> [String: String]

    var store: ReactorStore { ReactorStore(client: client) }

    public init(
        client: ZooKeeperClient, host: String, apiURL: String, logger: Logger,
        liveHosts: @escaping @Sendable () async -> Set<String>,
        hostSection: @escaping @Sendable () -> [String: String]
    ) {
        self.client = client
        self.host = host
        self.apiURL = apiURL
        self.logger = logger
        self.liveHosts = liveHosts
        self.hostSection = hostSection
    }

    /// The manager's engine and capacity; a section the API would refuse (written to ZooKeeper
    /// by hand) counts as the defaults, with a warning.
    var settings: DockerHostSettings {
        do {
            return try DockerHostSettings(hostSection())
        } catch {
            logger.warning("the manager's [cloud:docker] section is not valid (\(error)); using the defaults")
            return DockerHostSettings()
        }
    }

    var engine: DockerEngine { DockerEngine(socketPath: settings.socket) }

    /// Where this host's engine publishes ports: `publish_address`, else the host's first address
    /// other than loopback, else 127.0.0.1.
    static func publishAddress(_ settings: DockerHostSettings) -> String {
        settings.publishAddress ?? HostFacts.addresses().first ?? "127.0.0.1"
    }

    /// Tells this installation's containers from another's on the same engine (tests run several).
    var installation: String { String(HashRing.position(of: client.configuration.connectString), radix: 16) }

    /// The labels every container of this manager carries; also the filter that lists them.
    var managerLabels: [String: String] {
        [DockerLabels.manager: host, DockerLabels.installation: installation]
    }

    /// The engine's name for an instance's container: one per record, whoever asks.
    static func containerName(_ id: String) -> String { "reactor-\(id)" }

    /// Whether a host's engine answers: a manager advertises `docker` only then.
    public static func probe(_ section: [String: String]) async -> String? {
        // A section the API would refuse probes the default socket; its problem is logged where
        // the section is read for work (``settings``).
        let socket = (try? DockerHostSettings(section))?.socket ?? DockerHostSettings().socket
        do {
            try await DockerEngine(socketPath: socket).ping()
            return nil
        } catch {
            return "\(error)"
        }
    }

    // MARK: CloudDriver

    public func instances(of endpoint: CloudEndpoint) async throws -> [CloudInstance] {
        let ids = try await store.dockerInstanceIDs(endpointID: endpoint.id)
        if ids.isEmpty { return [] }
        let hosts = await liveHosts()
        var result: [CloudInstance] = []
        for id in ids {
            guard let record = try await record(endpoint.id, id), record.deleting != true else { continue }
            let failure =
                record.failure ?? (hosts.contains(record.host) ? nil : "its host \(record.host) has no live manager")
            result.append(
                CloudInstance(
                    id: id, name: record.name, ips: [record.backend], status: failure == nil ? .running : .failed,
                    failure: failure))
        }
        return result
    }

    public func prepare(for endpoint: CloudEndpoint) async throws -> PreparedLaunch {
        let docker = try Self.endpointSettings(endpoint.settings)
        let (chosen, hostRecord) = try await placement(slots: docker.slots)
        let taken = try await store.dockerLeasedIPs()
        let (ip, hostPort) = try Self.address(
            on: chosen, hostRecord, publishing: docker.network.publishes, taken: taken)
        let id = UUID().uuidString.lowercased()
        let record = DockerInstanceRecord(
            host: chosen, name: "\(endpoint.name)-\(id.prefix(8))", endpoint: endpoint.name, slots: docker.slots,
            ip: ip, settings: endpoint.settings, port: endpoint.port, hostPort: hostPort)
        return PreparedLaunch(
            instance: CloudInstance(id: id, name: record.name, ips: [record.backend], status: .running),
            operations: try await store.dockerLaunchOperations(record, endpointID: endpoint.id, id: id))
    }

    public func start(_ launch: PreparedLaunch, endpoint: CloudEndpoint) async throws {
        guard let record = try await record(endpoint.id, launch.instance.id) else {
            throw CloudError("the start request of \(launch.instance.name) is gone")
        }
        if record.host == host {
            try await carryOut(record, endpointID: endpoint.id, id: launch.instance.id)
        } else {
            logger.info("instance \(record.name) placed on docker host \(record.host); its manager starts it")
        }
    }

    public func delete(_ instanceID: String, of endpoint: CloudEndpoint) async throws {
        guard var record = try await record(endpoint.id, instanceID) else { return }
        if record.host != host {
            if await liveHosts().contains(record.host) {
                // Not this manager's engine: the host's manager removes it (see housekeeping()).
                record.deleting = true
                try await store.saveDockerInstance(record, endpointID: endpoint.id, id: instanceID)
                return
            }
            // A host without a live manager: its manager removes the container when it returns,
            // as one no record names.
            try await store.forgetDockerInstance(endpointID: endpoint.id, id: instanceID, record: record)
            return
        }
        try await removeContainer(of: record, id: instanceID)
        try await store.forgetDockerInstance(endpointID: endpoint.id, id: instanceID, record: record)
    }

    public func owner(ofIP ip: String) async throws -> (endpointID: String, instanceID: String)? {
        try await store.dockerLease(ofIP: ip)
    }

    public func endpointsWithRecords() async throws -> [String] {
        try await store.dockerCloudEndpoints()
    }

    @discardableResult
    public func deleteInstances(ofDeletedEndpoint endpointID: String) async throws -> Int {
        let ids = try await store.dockerInstanceIDs(endpointID: endpointID)
        let endpoint = CloudEndpoint(id: endpointID, name: endpointID, settings: [:], port: nil)
        for id in ids { try await delete(id, of: endpoint) }
        try await store.removeDockerEndpointIfEmpty(endpointID: endpointID)
        return ids.count
    }

    // MARK: Placement

    /// The live docker host with the most free slots (ties: the first by name), and its record.
    ///
    /// - Throws: ``CloudError`` naming every host and its free slots when none has `slots`.
    func placement(slots: Int) async throws -> (String, DockerHostRecord) {
        let hosts = try await store.dockerHosts()
        let live = await liveHosts()
        var used: [String: Int] = [:]
        for entry in try await store.allDockerInstances() { used[entry.record.host, default: 0] += entry.record.slots }
        let free = hosts.filter { live.contains($0.key) }.map {
            (name: $0.key, record: $0.value, free: $0.value.slots - used[$0.key, default: 0])
        }
        // A host offering no slots takes no new containers, not even those that take none.
        let fitting = free.filter { $0.free >= slots && $0.record.slots > 0 }
        guard let best = fitting.max(by: { ($0.free, $1.name) < ($1.free, $0.name) }) else {
            let summary = free.sorted { $0.name < $1.name }.map {
                "\($0.name) \(max(0, $0.free)) of \($0.record.slots)"
            }
            throw CloudError(
                summary.isEmpty
                    ? "no docker host is live to place a container on"
                    : "no docker host has \(slots) free slots (free: \(summary.joined(separator: ", ")))")
        }
        return (best.name, best.record)
    }

    /// A free address on the chosen host: one of its pool (`network = host`, or a host whose
    /// manager publishes no publish address), or its publish address with a free host port.
    /// Among the first free ones, one at random: launches racing for one host seldom collide (a
    /// collision fails the fenced batch, and the owner prepares again).
    static func address(
        on host: String, _ record: DockerHostRecord, publishing: Bool, taken: Set<String>
    ) throws -> (ip: String, hostPort: Int?) {
        if publishing, let publish = record.publishAddress, let address = IPAddress(publish) {
            let ports = record.ports.flatMap(DockerHostSettings.portRange) ?? DockerHostSettings().ports
            let free = ports.lazy.filter { !taken.contains(BackendAddress(ip: address, port: $0).description) }
            guard let port = free.prefix(16).randomElement() else {
                throw CloudError("docker host \(host) has no free port in \(ports.lowerBound)-\(ports.upperBound)")
            }
            return (address.description, port)
        }
        let pool: AddressPool
        do {
            pool = try AddressPool(record.addresses)
        } catch {
            throw CloudError("docker host \(host) publishes an address pool that cannot be used: \(error)")
        }
        guard let ip = pool.addresses.lazy.filter({ !taken.contains($0) }).prefix(16).randomElement() else {
            throw CloudError("the address pool \(pool.description) of docker host \(host) is exhausted")
        }
        return (ip, nil)
    }

    // MARK: Helpers

    /// The instance's record; one that is not a record (written by hand) is logged and skipped.
    func record(_ endpoint: String, _ id: String) async throws -> DockerInstanceRecord? {
        do {
            return try await store.dockerInstance(endpointID: endpoint, id: id)
        } catch let error as InvalidStoredRecord {
            logger.warning("skipping a docker instance record: \(error)")
            return nil
        }
    }

    static func endpointSettings(_ section: [String: String]) throws -> DockerSettings {
        do {
            return try DockerSettings(section)
        } catch {
            throw CloudError("[cloud:docker]: \(error)")
        }
    }
}

/// The labels on Reactor's containers.
enum DockerLabels {
    static let endpoint = "reactor.endpoint"
    static let instance = "reactor.instance"
    static let manager = "reactor.manager"
    static let installation = "reactor.installation"
}
