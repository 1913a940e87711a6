import Foundation
import LoadBalancers
import Logging
import ReactorCore
import ReactorStore
import ZooKeeper

/// This host as a front door (DESIGN.md §4): serves every endpoint whose load balancer it runs,
/// whoever owns the endpoint, and publishes what its balancers see under this manager's uuid
/// (`managers/metrics`, `managers/pending`, `managers/active`) and each endpoint's
/// `sessions/active`, for the owners to combine.
///
/// Endpoints sharing a URL share one entry: their backends are pooled, each weighted by its
/// endpoint's `weight`.
struct FrontDoor {
    let client: ZooKeeperClient
    let managerID: String
    let tcp: TCPBalancer?
    let log: ManagerLog
    private var configured: [BalancedService]?
    private var publishedSessions: [String: Set<String>] = [:]
    private var published: [String: [UInt8]] = [:]

    init(client: ZooKeeperClient, managerID: String, runsTCP: Bool, log: ManagerLog) {
        self.client = client
        self.managerID = managerID
        self.tcp = runsTCP ? TCPBalancer(logger: log.logger) : nil
        self.log = log
    }

    /// The tcp endpoints and their live backends; reconfigures the balancer when they changed.
    mutating func refresh(_ endpoints: EndpointDirectory) async throws {
        guard let tcp else { return }
        var services: [String: BalancedService] = [:]
        for (id, entry) in endpoints.entries.sorted(by: { $0.key < $1.key }) where entry.loadBalancer == "tcp" {
            guard let config = try? EndpointConfig(json: entry.configuration), let url = config.url else { continue }
            let settings = (try? TCPSettings(section: config.drivers.loadBalancers["tcp"] ?? [:])) ?? TCPSettings()
            let ips = (try? await client.children(ZNodeLayout.endpoint(id, EndpointNode.confirmedIPs))) ?? []
            let port = config.port ?? Self.port(of: url) ?? 0
            let backends = ips.sorted().map { Backend(ip: $0, port: port, weight: config.weight) }
            if var existing = services[url] {
                existing.backends += backends
                services[url] = existing
            } else {
                services[url] = BalancedService(
                    url: url, backends: backends, algorithm: settings.algorithm, holdTimeout: settings.holdTimeout,
                    redirect: config.redirect)
            }
        }
        let wanted = services.values.sorted { $0.url < $1.url }
        guard wanted != configured else { return }
        do {
            try await tcp.configure(wanted)
            configured = wanted
        } catch {
            await log(.error, "cannot configure the tcp balancer: \(error)")
        }
    }

    /// Publishes this host's balancer metrics, held connections and sessions; carries out
    /// session drops requested through the API.
    mutating func publish(_ endpoints: EndpointDirectory) async throws {
        guard let tcp else { return }
        let metrics = await tcp.metrics()
        let pending = await tcp.pending()
        let sessions = await tcp.sessions()
        let activeTotal = metrics.values.reduce(0.0) { $0 + ($1["active"]?.last ?? 0) }
        let metricsJSON = JSONValue.object(
            metrics.mapValues { values in .array([.object(values.mapValues { .array($0.map(JSONValue.number)) })]) })
        try await publishEphemeral("\(ZNodeLayout.managerMetrics)/\(managerID)", metricsJSON)
        try await publishEphemeral(
            "\(ZNodeLayout.managerPending)/\(managerID)", .object(pending.mapValues { .number(Double($0)) }))
        try await publishEphemeral("\(ZNodeLayout.managerActive)/\(managerID)", .number(activeTotal))

        // Sessions, filed under the endpoint whose confirmed IP is the backend.
        var ipToEndpoint: [String: String] = [:]
        for (id, entry) in endpoints.entries where entry.loadBalancer == "tcp" {
            for ip in (try? await client.children(ZNodeLayout.endpoint(id, EndpointNode.confirmedIPs))) ?? [] {
                ipToEndpoint[ip] = id
            }
        }
        var byEndpoint: [String: [String: String]] = [:]
        for (clientAddress, backend) in sessions {
            let ip = String(backend.split(separator: ":").first ?? "")
            if let id = ipToEndpoint[ip] { byEndpoint[id, default: [:]][clientAddress] = backend }
        }
        for id in Set(byEndpoint.keys).union(publishedSessions.keys) {
            let now = byEndpoint[id] ?? [:]
            let before = publishedSessions[id] ?? []
            let directory = ZNodeLayout.endpoint(id, EndpointNode.sessionsActive)
            for (clientAddress, backend) in now where !before.contains(clientAddress) {
                _ = try? await client.create(
                    "\(directory)/\(clientAddress)", data: Array(backend.utf8), mode: .ephemeral, createParents: true)
            }
            for clientAddress in before where now[clientAddress] == nil {
                try? await client.delete("\(directory)/\(clientAddress)")
            }
            publishedSessions[id] = Set(now.keys)
        }
        // Session drops: every front door cuts its own; the owner clears the request.
        for (id, entry) in endpoints.entries where entry.loadBalancer == "tcp" {
            let drops = (try? await client.children(ZNodeLayout.endpoint(id, EndpointNode.sessionsDrop))) ?? []
            for clientAddress in drops where await tcp.dropSession(clientAddress) {
                await log(.info, "cut session \(clientAddress) on request", endpoint: id)
            }
        }
    }

    /// Stops serving and closes every connection.
    func shutdown() async {
        await tcp?.shutdown()
    }

    private mutating func publishEphemeral(_ path: String, _ value: JSONValue) async throws {
        let data = Array(value.encoded())
        guard published[path] != data else { return }
        do {
            try await client.set(path, data: data)
        } catch let error as ZooKeeperError where error.code == .noNode {
            try await client.create(path, data: data, mode: .ephemeral, createParents: true)
        }
        published[path] = data
    }

    /// Forgets what was published (after a session expiry its ephemeral nodes are gone).
    mutating func forgetPublished() {
        published.removeAll()
        publishedSessions.removeAll()
    }

    static func port(of url: String) -> Int? {
        guard let last = url.split(separator: ":").last else { return nil }
        return Int(last.split(separator: "/").first ?? "")
    }
}

/// What every front door published, read once per pass by an owner.
struct FrontDoorReports: Sendable {
    /// `ip:port` → samples from every manager's balancers.
    var samples: [String: [JSONValue]] = [:]
    /// url → held connections summed over managers.
    var pending: [String: Int] = [:]

    static func read(_ client: ZooKeeperClient) async -> FrontDoorReports {
        var reports = FrontDoorReports()
        for id in (try? await client.children(ZNodeLayout.managerMetrics)) ?? [] {
            guard let node = try? await client.get("\(ZNodeLayout.managerMetrics)/\(id)"),
                let json = try? JSONValue(parsing: Data(node.bytes)), case .object(let backends) = json
            else { continue }
            for (address, value) in backends {
                reports.samples[address, default: []] += value.arrayValue ?? [value]
            }
        }
        for id in (try? await client.children(ZNodeLayout.managerPending)) ?? [] {
            guard let node = try? await client.get("\(ZNodeLayout.managerPending)/\(id)"),
                let json = try? JSONValue(parsing: Data(node.bytes)), case .object(let urls) = json
            else { continue }
            for (url, count) in urls { reports.pending[url, default: 0] += Int(count.numberValue ?? 0) }
        }
        return reports
    }
}
