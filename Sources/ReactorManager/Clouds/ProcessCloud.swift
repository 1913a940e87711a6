import Foundation
import Logging
import ProcessSupport
import ReactorCore
import ReactorStore
import Synchronization
import ZooKeeper

#if canImport(Glibc)
import Glibc
#endif

/// The built-in `process` cloud: each instance is a local process started from
/// `[cloud:process] command` with a loopback address of its own from `addresses` (default
/// `127.0.1.0/24`), so it can listen on and register from its own IP.
///
/// Records live in ZooKeeper so a restarted manager on the same host finds its instances:
/// `/reactor/clouds/process/instances/<endpoint>/<id>` (JSON: ip, host, pid, name) and
/// `/reactor/clouds/process/ips/<ip>` (`<endpoint>/<id>`: the address lease). A manager only
/// signals processes of its own host; deleting an instance of another host marks it, and that
/// host's manager ends it. Instances whose host has no live manager are reported failed.
public struct ProcessCloud: CloudDriver {
    public let name = "process"
    public let client: ZooKeeperClient
    /// This host's manager name (recorded in each instance).
    public let host: String
    /// `REACTOR_API` for instances when `/reactor/url` is not set.
    public let apiURL: String
    /// Where instance output goes.
    public let logDirectory: String
    public let logger: Logger
    /// Names of hosts with a live manager, for reporting other hosts' instances.
    public let liveHosts: @Sendable () async -> Set<String>
    /// The manager's own `[cloud:process]` section: its `addresses` is this host's default pool.
    public let hostSection: @Sendable () -> [String: String]

    /// The process cloud's records (``ProcessInstanceRecord``s and address leases).
    var store: ReactorStore { ReactorStore(client: client) }

    public init(
        client: ZooKeeperClient, host: String, apiURL: String,
        logDirectory: String = NSTemporaryDirectory() + "reactor-instances",
        logger: Logger, liveHosts: @escaping @Sendable () async -> Set<String>,
        hostSection: @escaping @Sendable () -> [String: String] = { [:] }
    ) {
        self.hostSection = hostSection
        self.client = client
        self.host = host
        self.apiURL = apiURL
        self.logDirectory = logDirectory
        self.logger = logger
        self.liveHosts = liveHosts
    }

    typealias Record = ProcessInstanceRecord

    /// The instance's record; one that is not a record (written by hand) is logged and skipped.
    func record(_ endpoint: String, _ id: String) async throws -> Record? {
        do {
            return try await store.processInstance(endpointID: endpoint, id: id)
        } catch let error as InvalidStoredRecord {
            logger.warning("skipping a process instance record: \(error)")
            return nil
        }
    }

    /// The process a record of this host names, when it is running: its pid and start time (a
    /// record of an earlier version without a start time takes it from the instance's pid file).
    func runningProcess(of record: Record, id: String) -> ProcessSpawner.Started? {
        guard let pid = record.pid else { return nil }
        guard let started = record.started ?? pidFileStartTime(id: id) else {
            // Nothing tells this pid from a later process that reused it: never signalled.
            return nil
        }
        let process = ProcessSpawner.Started(pid: pid, startTime: started)
        return ProcessSpawner.isRunning(process) ? process : nil
    }

    // MARK: CloudDriver

    public func instances(of endpoint: CloudEndpoint) async throws -> [CloudInstance] {
        let ids = try await store.processInstanceIDs(endpointID: endpoint.id)
        if ids.isEmpty { return [] }
        let hosts = await liveHosts()
        var result: [CloudInstance] = []
        for id in ids {
            guard let record = try await record(endpoint.id, id), record.deleting != true else { continue }
            // A record of this host without a pid is being started.
            let alive: Bool =
                record.host == host
                ? record.pid == nil || runningProcess(of: record, id: id) != nil : hosts.contains(record.host)
            let failure: String? =
                alive
                ? nil
                : record.host == host
                    ? failureDetail(pid: record.pid, logPath: "\(logDirectory)/\(record.name).log")
                    : "its host \(record.host) has no live manager"
            result.append(
                CloudInstance(
                    id: id, name: record.name, ips: [record.ip], status: alive ? .running : .failed, failure: failure))
        }
        return result
    }

    public func prepare(for endpoint: CloudEndpoint) async throws -> PreparedLaunch {
        // The endpoint's pool, else the manager's, else the default.
        let pool = try AddressPool(endpoint.settings["addresses"] ?? hostSection()["addresses"] ?? "127.0.1.0/24")
        let taken = try await store.processLeasedIPs()
        // Among the first free addresses, one at random: endpoints launching at the same time
        // (on this manager or others) seldom race for the same lease.
        let free = pool.addresses.lazy.filter { !taken.contains($0) }.prefix(16)
        guard let ip = free.randomElement() else {
            throw CloudError("the process cloud's address pool \(pool.description) is exhausted")
        }
        let id = UUID().uuidString.lowercased()
        let record = Record(ip: ip, host: host, name: "\(endpoint.name)-\(id.prefix(8))")
        return PreparedLaunch(
            instance: CloudInstance(id: id, name: record.name, ips: [ip], status: .running),
            operations: try await store.processLaunchOperations(record, endpointID: endpoint.id, id: id))
    }

    public func start(_ launch: PreparedLaunch, endpoint: CloudEndpoint) async throws {
        guard let command = endpoint.settings["command"], !command.isEmpty else {
            throw CloudError("[cloud:process] has no command")
        }
        let ip = launch.instance.ips.first ?? ""
        let url: String
        do {
            // The global URL (POST /v1.1/url); unset or empty: the manager's own.
            url = try await store.apiURL().flatMap { $0.isEmpty ? nil : $0 } ?? apiURL
        } catch {
            throw CloudError("cannot read the global API URL for REACTOR_API: \(error)")
        }
        do {
            try FileSystem.makePrivateDirectory(logDirectory)
            try FileSystem.makePrivateDirectory(pidDirectory)
        } catch {
            throw CloudError("the instance state folder is refused: \(error)")
        }
        let environment = try instanceEnvironment(
            endpoint: endpoint,
            reactor: [
                "REACTOR_INSTANCE_IP": ip, "REACTOR_INSTANCE_ID": launch.instance.id,
                "REACTOR_PORT": endpoint.port.map(String.init) ?? "", "REACTOR_API": url,
                "REACTOR_ENDPOINT": endpoint.name,
            ])
        let process = try ProcessSpawner.spawn(
            command: command, environment: environment, logPath: "\(logDirectory)/\(launch.instance.name).log")
        do {
            try FileSystem.write(
                "\(endpoint.id)/\(launch.instance.id) \(process.pid) \(process.startTime)\n",
                to: pidFile(launch.instance.id), mode: 0o600)
        } catch {
            // Without its pid file the process is still found through its record; only an
            // orphan (record gone while this manager was away) would be missed.
            logger.warning("cannot write the pid file of \(launch.instance.name): \(error)")
        }
        let record = Record(
            ip: ip, host: host, name: launch.instance.name, pid: process.pid, started: process.startTime)
        try await store.saveProcessInstance(record, endpointID: endpoint.id, id: launch.instance.id)
        logger.info("started instance \(launch.instance.name) (pid \(process.pid), \(ip))")
    }

    public func delete(_ instanceID: String, of endpoint: CloudEndpoint) async throws {
        guard var record = try await record(endpoint.id, instanceID) else { return }
        if record.host != host, await liveHosts().contains(record.host) {
            // Not ours to signal: its host's manager ends it (see reapMarked()).
            record.deleting = true
            try await store.saveProcessInstance(record, endpointID: endpoint.id, id: instanceID)
            return
        }
        if record.host == host, let process = runningProcess(of: record, id: instanceID) {
            await ProcessSpawner.terminate(process)
        }
        try await store.forgetProcessInstance(endpointID: endpoint.id, id: instanceID, ip: record.ip)
        removePidFile(pidFile(instanceID))
    }

    public func owner(ofIP ip: String) async throws -> (endpointID: String, instanceID: String)? {
        try await store.processLease(ofIP: ip)
    }

    /// Ends the processes of this host that another manager marked for deletion.
    public func reapMarked() async throws {
        for endpoint in try await store.processCloudEndpoints() {
            for id in try await store.processInstanceIDs(endpointID: endpoint) {
                guard let record = try await record(endpoint, id), record.host == host, record.deleting == true else {
                    continue
                }
                if let process = runningProcess(of: record, id: id) { await ProcessSpawner.terminate(process) }
                try await store.forgetProcessInstance(endpointID: endpoint, id: id, ip: record.ip)
                removePidFile(pidFile(id))
            }
        }
    }

    /// Ends this host's instance processes that have no record any more: another manager
    /// forgot them while this one was away (frozen, restarting), so nobody would end them.
    public func reapOrphans() async throws {
        for file in livePidFiles() {
            if try await !store.processInstanceExists(endpointID: file.endpoint, id: file.id) {
                logger.warning("ending orphaned instance process \(file.process.pid): its record is gone")
                await ProcessSpawner.terminate(file.process)
                removePidFile(file.path)
            }
        }
    }

    /// One pid file: `<endpoint>/<id> <pid> <start time>`.
    struct PidFile {
        var path: String
        var endpoint: String
        var id: String
        var process: ProcessSpawner.Started
    }

    /// The pid files of this host's instances that are still running. Files of processes that are
    /// gone, or whose pid now belongs to a later process (another start time), are removed:
    /// such a pid is never signalled.
    func livePidFiles() -> [PidFile] {
        let directory = pidDirectory
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            // No folder yet: this manager has started no instance on this host.
            return []
        }
        var live: [PidFile] = []
        for file in files where file.hasSuffix(".pid") {
            let path = "\(directory)/\(file)"
            guard let entry = Self.parsePidFile(path) else {
                removePidFile(path)
                continue
            }
            live.append(entry)
        }
        return live
    }

    /// A pid file's contents, when it names a process that still runs; `nil` for a file that is
    /// unreadable, malformed, or names a process that is gone or whose pid a later process took.
    static func parsePidFile(_ path: String) -> PidFile? {
        // Unreadable (removed meanwhile, a link, another user's): not a process of ours.
        guard let text = try? FileSystem.read(path) else { return nil }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        let key = parts.first?.split(separator: "/") ?? []
        guard parts.count == 3, key.count == 2, let pid = Int32(parts[1]), let started = UInt64(parts[2]) else {
            return nil
        }
        let process = ProcessSpawner.Started(pid: pid, startTime: started)
        guard ProcessSpawner.isRunning(process) else { return nil }
        return PidFile(path: path, endpoint: String(key[0]), id: String(key[1]), process: process)
    }

    /// The start time an instance's pid file records, if the file is there.
    func pidFileStartTime(id: String) -> UInt64? {
        Self.parsePidFile(pidFile(id))?.process.startTime
    }

    func removePidFile(_ path: String) {
        guard unlink(path) != 0, errno != ENOENT else { return }
        logger.warning("cannot remove the pid file \(path): \(String(cString: strerror(errno)))")
    }

    /// The uuids of endpoints that have instance records.
    public func endpointsWithRecords() async throws -> [String] {
        try await store.processCloudEndpoints()
    }

    /// Ends this host's processes another manager marked for deletion, and those no record
    /// names any more.
    public func housekeeping() async throws {
        try await reapMarked()
        try await reapOrphans()
    }

    /// Deletes every instance recorded for an endpoint that no longer exists (deleted while its
    /// instances ran), as ``delete(_:of:)`` does: this host's processes are ended, another live
    /// host's are marked for its manager to end.
    ///
    /// - Returns: how many instances were deleted.
    @discardableResult
    public func deleteInstances(ofDeletedEndpoint endpointID: String) async throws -> Int {
        let ids = try await store.processInstanceIDs(endpointID: endpointID)
        let endpoint = CloudEndpoint(id: endpointID, name: endpointID, settings: [:], port: nil)
        for id in ids { try await delete(id, of: endpoint) }
        try await store.removeProcessEndpointIfEmpty(endpointID: endpointID)
        return ids.count
    }

    /// Ends every instance process this host's manager started for this installation (its pid
    /// files), whatever ZooKeeper says: for a local Reactor that is going away with its state.
    ///
    /// - Returns: how many processes were ended.
    @discardableResult
    public func endLocalInstances() async -> Int {
        let running = livePidFiles()
        for file in running {
            await ProcessSpawner.terminate(file.process)
            removePidFile(file.path)
        }
        return running.count
    }

    /// Where this host's manager keeps the pids of the instances it started (one folder per
    /// manager name, so several managers on one machine — tests — keep apart).
    ///
    /// The folder is also keyed by the ZooKeeper ensemble and chroot, so that managers of two
    /// installations on one machine never take each other's instances for orphans.
    var pidDirectory: String {
        let installation = HashRing.position(of: client.configuration.connectString)
        return "\(logDirectory)/\(host)-\(String(installation, radix: 16))"
    }

    func pidFile(_ id: String) -> String {
        "\(pidDirectory)/\(id).pid"
    }

    // MARK: Helpers

    /// What an instance's environment is: `PATH` (the manager's, else the usual system one), the
    /// endpoint's `[cloud:process] environment`, then the `reactor` variables. Nothing else of
    /// the manager's environment (keys, ZooKeeper credentials) reaches an instance.
    func instanceEnvironment(endpoint: CloudEndpoint, reactor: [String: String]) throws -> [String: String] {
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? Self.systemPath]
        if let text = endpoint.settings[ProcessEnvironment.key] {
            do {
                environment.merge(try ProcessEnvironment.parse(text)) { _, configured in configured }
            } catch {
                throw CloudError("[cloud:process] environment: \(error)")
            }
        }
        environment.merge(reactor) { _, set in set }
        return environment
    }

    static let systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    static func isAlive(_ pid: Int32) -> Bool {
        var status: Int32 = 0
        // Reap it if it is our child and has exited; then ask the kernel whether it exists.
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatuses.withLock { $0[pid] = status }
            return false
        }
        return kill(pid, 0) == 0
    }

    /// How reaped instance processes ended (raw `waitpid` status), by pid, for their failure report.
    static let exitStatuses = Mutex<[Int32: Int32]>([:])

    /// Why a local instance failed: how its process ended, and the last lines of its output.
    func failureDetail(pid: Int32?, logPath: String) -> String {
        var parts: [String] = []
        if let pid, let status = Self.exitStatuses.withLock({ $0.removeValue(forKey: pid) }) {
            let signal = status & 0x7f
            parts.append(signal == 0 ? "exited with status \((status >> 8) & 0xff)" : "was killed by signal \(signal)")
        } else {
            parts.append("its process is gone")
        }
        let lines = Self.lastLines(of: logPath, count: 3)
        parts.append(
            lines.isEmpty
                ? "no output in \(logPath)" : "last output: \(lines.joined(separator: " | ")) (log \(logPath))")
        return parts.joined(separator: "; ")
    }

    /// The last `count` non-empty lines of a file, read from its last 4 KiB.
    static func lastLines(of path: String, count: Int) -> [String] {
        let size = FileSystem.size(path)
        // A log that cannot be read (not written yet) has no last lines.
        guard let text = try? FileSystem.read(path, from: size > 4096 ? size - 4096 : 0) else { return [] }
        return Array(text.split(separator: "\n").map { String($0.prefix(200)) }.filter { !$0.isEmpty }.suffix(count))
    }
}

/// A cloud could not do what was asked.
public struct CloudError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
