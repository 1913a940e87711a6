import Foundation
import Logging
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

    static let root = "\(ZNodeLayout.clouds)/process"
    static let instancesRoot = "\(root)/instances"
    static let ipsRoot = "\(root)/ips"

    public init(
        client: ZooKeeperClient, host: String, apiURL: String,
        logDirectory: String = NSTemporaryDirectory() + "reactor-instances",
        logger: Logger, liveHosts: @escaping @Sendable () async -> Set<String>
    ) {
        self.client = client
        self.host = host
        self.apiURL = apiURL
        self.logDirectory = logDirectory
        self.logger = logger
        self.liveHosts = liveHosts
    }

    struct Record: Codable, Sendable {
        var ip: String
        var host: String
        var name: String
        var pid: Int32?
        var deleting: Bool?
    }

    func recordPath(_ endpoint: String, _ id: String) -> String { "\(Self.instancesRoot)/\(endpoint)/\(id)" }

    func record(_ endpoint: String, _ id: String) async throws -> Record? {
        do {
            return try JSONDecoder().decode(
                Record.self, from: Data(try await client.get(recordPath(endpoint, id)).bytes))
        } catch let error as ZooKeeperError where error.code == .noNode {
            return nil
        } catch is DecodingError {
            return nil
        }
    }

    // MARK: CloudDriver

    public func instances(of endpoint: CloudEndpoint) async throws -> [CloudInstance] {
        let ids: [String]
        do {
            ids = try await client.children("\(Self.instancesRoot)/\(endpoint.id)")
        } catch let error as ZooKeeperError where error.code == .noNode {
            return []
        }
        let hosts = await liveHosts()
        var result: [CloudInstance] = []
        for id in ids.sorted() {
            guard let record = try await record(endpoint.id, id), record.deleting != true else { continue }
            let alive: Bool =
                record.host == host ? record.pid.map(Self.isAlive) ?? true : hosts.contains(record.host)
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
        let pool = try AddressPool(endpoint.settings["addresses"] ?? "127.0.1.0/24")
        let taken = Set((try? await client.children(Self.ipsRoot)) ?? [])
        // Among the first free addresses, one at random: endpoints launching at the same time
        // (on this manager or others) seldom race for the same lease.
        let free = pool.addresses.lazy.filter { !taken.contains($0) }.prefix(16)
        guard let ip = free.randomElement() else {
            throw CloudError("the process cloud's address pool \(pool.description) is exhausted")
        }
        let id = UUID().uuidString.lowercased()
        let record = Record(ip: ip, host: host, name: "\(endpoint.name)-\(id.prefix(8))", pid: nil, deleting: nil)
        try await ensureDirectory("\(Self.instancesRoot)/\(endpoint.id)")
        try await ensureDirectory(Self.ipsRoot)
        return PreparedLaunch(
            instance: CloudInstance(id: id, name: record.name, ips: [ip], status: .running),
            operations: [
                .create(path: "\(Self.ipsRoot)/\(ip)", data: Array("\(endpoint.id)/\(id)".utf8)),
                .create(path: recordPath(endpoint.id, id), data: Array(try JSONEncoder().encode(record))),
            ])
    }

    public func start(_ launch: PreparedLaunch, endpoint: CloudEndpoint) async throws {
        guard let command = endpoint.settings["command"], !command.isEmpty else {
            throw CloudError("[cloud:process] has no command")
        }
        let ip = launch.instance.ips.first ?? ""
        // The global URL is stored as a JSON string (POST /v1.1/url).
        let url = (try? await ReactorStore(client: client).apiURL()).flatMap { $0.isEmpty ? nil : $0 } ?? apiURL
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        let environment = try instanceEnvironment(
            endpoint: endpoint,
            reactor: [
                "REACTOR_INSTANCE_IP": ip, "REACTOR_INSTANCE_ID": launch.instance.id,
                "REACTOR_PORT": endpoint.port.map(String.init) ?? "", "REACTOR_API": url,
                "REACTOR_ENDPOINT": endpoint.name,
            ])
        let pid = try ProcessSpawner.spawn(
            command: command, environment: environment, logPath: "\(logDirectory)/\(launch.instance.name).log")
        let started = ProcessSpawner.startTime(pid) ?? 0
        try? "\(endpoint.id)/\(launch.instance.id) \(pid) \(started)\n".write(
            toFile: pidFile(launch.instance.id), atomically: true, encoding: .utf8)
        var record = Record(ip: ip, host: host, name: launch.instance.name, pid: pid, deleting: nil)
        record.pid = pid
        try await client.set(recordPath(endpoint.id, launch.instance.id), data: Array(try JSONEncoder().encode(record)))
        logger.info("started instance \(launch.instance.name) (pid \(pid), \(ip))")
    }

    public func delete(_ instanceID: String, of endpoint: CloudEndpoint) async throws {
        guard var record = try await record(endpoint.id, instanceID) else { return }
        if record.host != host, await liveHosts().contains(record.host) {
            // Not ours to signal: its host's manager ends it (see reapMarked()).
            record.deleting = true
            try await client.set(recordPath(endpoint.id, instanceID), data: Array(try JSONEncoder().encode(record)))
            return
        }
        if record.host == host, let pid = record.pid { await ProcessSpawner.terminate(pid) }
        try await forget(endpoint.id, instanceID, ip: record.ip)
        try? FileManager.default.removeItem(atPath: pidFile(instanceID))
    }

    public func owner(ofIP ip: String) async throws -> (endpointID: String, instanceID: String)? {
        guard let lease = try? await client.get("\(Self.ipsRoot)/\(ip)").string else { return nil }
        let parts = lease.split(separator: "/")
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// Ends the processes of this host that another manager marked for deletion.
    public func reapMarked() async throws {
        guard let endpoints = try? await client.children(Self.instancesRoot) else { return }
        for endpoint in endpoints {
            for id in (try? await client.children("\(Self.instancesRoot)/\(endpoint)")) ?? [] {
                guard let record = try await record(endpoint, id), record.host == host, record.deleting == true else {
                    continue
                }
                if let pid = record.pid { await ProcessSpawner.terminate(pid) }
                try await forget(endpoint, id, ip: record.ip)
            }
        }
    }

    /// Ends this host's instance processes that have no record any more: another manager
    /// forgot them while this one was away (frozen, restarting), so nobody would end them.
    public func reapOrphans() async throws {
        for file in livePidFiles() {
            if try await client.exists(recordPath(file.endpoint, file.id)) == nil {
                logger.warning("ending orphaned instance process \(file.pid): its record is gone")
                await ProcessSpawner.terminate(file.pid)
                try? FileManager.default.removeItem(atPath: file.path)
            }
        }
    }

    /// One pid file: `<endpoint>/<id> <pid> <start time>`.
    struct PidFile {
        var path: String
        var endpoint: String
        var id: String
        var pid: Int32
    }

    /// The pid files of this host's instances that are still running. Files of processes that are
    /// gone, or whose pid now belongs to a later process (another start time), are removed:
    /// such a pid is never signalled.
    func livePidFiles() -> [PidFile] {
        let directory = pidDirectory
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var live: [PidFile] = []
        for file in files where file.hasSuffix(".pid") {
            let path = "\(directory)/\(file)"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
            let key = parts.first?.split(separator: "/") ?? []
            guard parts.count == 3, key.count == 2, let pid = Int32(parts[1]), let started = UInt64(parts[2]),
                Self.isAlive(pid), ProcessSpawner.startTime(pid) == started
            else {
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            live.append(PidFile(path: path, endpoint: String(key[0]), id: String(key[1]), pid: pid))
        }
        return live
    }

    /// The uuids of endpoints that have instance records.
    public func endpointsWithInstances() async -> [String] {
        (try? await client.children(Self.instancesRoot)) ?? []
    }

    /// Deletes every instance recorded for an endpoint that no longer exists (deleted while its
    /// instances ran), as ``delete(_:of:)`` does: this host's processes are ended, another live
    /// host's are marked for its manager to end.
    ///
    /// - Returns: how many instances were deleted.
    @discardableResult
    public func deleteInstances(ofDeletedEndpoint endpointID: String) async throws -> Int {
        let directory = "\(Self.instancesRoot)/\(endpointID)"
        let ids = (try? await client.children(directory)) ?? []
        let endpoint = CloudEndpoint(id: endpointID, name: endpointID, settings: [:], port: nil)
        for id in ids { try await delete(id, of: endpoint) }
        if ((try? await client.children(directory)) ?? []).isEmpty { try? await client.delete(directory) }
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
            await ProcessSpawner.terminate(file.pid)
            try? FileManager.default.removeItem(atPath: file.path)
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
        try? FileManager.default.createDirectory(atPath: pidDirectory, withIntermediateDirectories: true)
        return "\(pidDirectory)/\(id).pid"
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

    private func forget(_ endpoint: String, _ id: String, ip: String) async throws {
        for path in [recordPath(endpoint, id), "\(Self.ipsRoot)/\(ip)"] {
            do {
                try await client.delete(path)
            } catch let error as ZooKeeperError where error.code == .noNode {}
        }
    }

    private func ensureDirectory(_ path: String) async throws {
        if try await client.exists(path) != nil { return }
        do {
            try await client.create(path, createParents: true)
        } catch let error as ZooKeeperError where error.code == .nodeExists {}
    }

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
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 4096 ? size - 4096 : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        let text = String(decoding: data, as: UTF8.self)
        return Array(text.split(separator: "\n").map { String($0.prefix(200)) }.filter { !$0.isEmpty }.suffix(count))
    }
}

/// A cloud could not do what was asked.
public struct CloudError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
