import ReactorCore
import ZooKeeper

/// One instance as a cloud sees it.
public struct CloudInstance: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        /// Running as far as the cloud can tell.
        case running
        /// Gone wrong: exited, crashed, or its host has no live manager.
        case failed
    }

    public var id: String
    public var name: String
    public var ips: [String]
    public var status: Status
    /// For a failed instance, what the cloud knows of why (an exit status, the last lines of
    /// its output and where the rest is); nil when it cannot say.
    public var failure: String?

    public init(id: String, name: String, ips: [String], status: Status, failure: String? = nil) {
        self.id = id
        self.name = name
        self.ips = ips
        self.status = status
        self.failure = failure
    }
}

/// What the endpoint is to a cloud driver.
public struct CloudEndpoint: Sendable, Hashable {
    public var id: String
    public var name: String
    /// `[cloud:<driver>]` settings.
    public var settings: [String: String]
    /// `[endpoint] port`: where instances should listen.
    public var port: Int?

    public init(id: String, name: String, settings: [String: String], port: Int?) {
        self.id = id
        self.name = name
        self.settings = settings
        self.port = port
    }
}

/// A launch that has been decided but not carried out: the owner commits `operations` in a
/// fenced batch (so a stale owner records nothing), and only then calls
/// ``CloudDriver/start(_:endpoint:)``.
public struct PreparedLaunch: Sendable {
    public var instance: CloudInstance
    /// The driver's own records of the instance, to commit with the fenced batch.
    public var operations: [MultiOperation]

    public init(instance: CloudInstance, operations: [MultiOperation]) {
        self.instance = instance
        self.operations = operations
    }
}

/// A cloud driver (docs/design.md#cloud-drivers): lists an endpoint's instances, starts and deletes them.
public protocol CloudDriver: Sendable {
    /// The driver's name in configurations (`process`, `docker`, `openstack`).
    var name: String { get }
    /// The endpoint's instances as the cloud sees them.
    func instances(of endpoint: CloudEndpoint) async throws -> [CloudInstance]
    /// Reserves a new instance (its id, its address) without starting it.
    func prepare(for endpoint: CloudEndpoint) async throws -> PreparedLaunch
    /// Starts a prepared instance once its records are committed.
    func start(_ launch: PreparedLaunch, endpoint: CloudEndpoint) async throws
    /// Ends an instance and forgets it.
    func delete(_ instanceID: String, of endpoint: CloudEndpoint) async throws
    /// The endpoint and instance an address belongs to, if it is one of this cloud's.
    func owner(ofIP ip: String) async throws -> (endpointID: String, instanceID: String)?

    // Optional hooks: a driver that keeps records of its own (the process cloud) implements them.

    /// The driver's own work on this host, once a pass: ending what another manager marked,
    /// what no record names any more. Default: nothing.
    func housekeeping() async throws
    /// The uuids of endpoints the driver holds records for. Default: none.
    func endpointsWithRecords() async throws -> [String]
    /// Deletes every instance of an endpoint that no longer exists. Default: none.
    ///
    /// - Returns: how many instances were deleted.
    func deleteInstances(ofDeletedEndpoint endpointID: String) async throws -> Int
    /// Ends every instance of this host that only this manager can end (the docker cloud's
    /// containers) and forgets them: for a manager whose installation ends with it (`reactor up`
    /// with a private ZooKeeper), whose instances nothing would ever adopt. Errors are logged,
    /// not thrown. Default: nothing (the process cloud's are ended from their pid files).
    ///
    /// - Returns: how many instances were ended.
    func endHostInstances() async -> Int
}

extension CloudDriver {
    public func housekeeping() async throws {}
    public func endpointsWithRecords() async throws -> [String] { [] }
    public func deleteInstances(ofDeletedEndpoint endpointID: String) async throws -> Int { 0 }
    public func endHostInstances() async -> Int { 0 }
}
