import Foundation
import LoadBalancers
import Logging
import ReactorCore
import ReactorStore
import ZooKeeper

/// This host as a front door (docs/design.md#front-doors): serves every endpoint whose load balancer it runs,
/// whoever owns the endpoint, and publishes what its balancers see under this manager's uuid
/// (`managers/metrics`, `managers/pending`, `managers/active`) and each endpoint's
/// `sessions/active`, for the owners to combine.
///
/// Endpoints sharing a URL share one entry: their backends are pooled, each weighted by its
/// endpoint's `weight`. Backends are an endpoint's confirmed IPs and its `static_instances`.
///
/// Each balanced endpoint's `confirmed_ips` is read with a child watch and read again only after
/// it fired; a firing also rings ``changes``, so that the loop reconfigures the balancers at once
/// (an instance gets traffic right after it is confirmed) rather than at its next pass.
struct FrontDoor {
    let store: ReactorStore
    let managerID: String
    let log: ManagerLog
    /// Balancer drivers this host runs, by name (`tcp`, `nginx`, `haproxy`, `dnsmasq`).
    private(set) var drivers: [String: any LoadBalancerDriver]
    /// Rung when the backends of a balanced endpoint changed.
    let changes = Doorbell()
    /// The host names of `static_instances`, resolved again every pass.
    let resolver = StaticHostResolver()
    private var configured: [String: [BalancedService]] = [:]
    private var backendIPs: [String: (ips: [String], watch: Watch)] = [:]
    /// Backend `ip:port` → the endpoint whose instance (or static instance) it is, as last refreshed.
    private var backendOwners: [String: String] = [:]
    private var publishedSessions: [String: Set<String>] = [:]
    private var published: [ReactorStore.FrontDoorReport: JSONValue] = [:]
    private var reportedProblems: Set<String> = []
    /// What keeps this host's balancers from serving each endpoint, as last refreshed (endpoint
    /// uuid → reason).
    private var problems: [String: String] = [:]
    /// The same as conditions with their times, published under this manager (`.problems`).
    private var conditions: [String: EndpointConditions] = [:]
    /// Services a driver refused on their own (driver → URL), left out of its configuration until
    /// their definition changes or ``retryRefused`` passes.
    private var refused: [String: [String: RefusedService]] = [:]
    /// How long a refused service stays left out before it is tried again (a taken port may be freed).
    static let retryRefused = Duration.seconds(60)

    /// - Parameter drivers: the balancer drivers to run, by name (from the ``DriverRegistry``).
    init(store: ReactorStore, managerID: String, drivers: [String: any LoadBalancerDriver], log: ManagerLog) {
        self.store = store
        self.managerID = managerID
        self.log = log
        self.drivers = drivers
    }

    /// The drivers whose sessions can be listed and cut.
    static let listsSessions: Set<String> = ["tcp", "haproxy"]

    /// The balanced endpoints and their live backends; reconfigures each driver whose services
    /// changed.
    mutating func refresh(_ endpoints: EndpointDirectory) async throws {
        guard !drivers.isEmpty else { return }
        var services: [String: [String: BalancedService]] = [:]  // driver → url → service
        var balanced: Set<String> = []
        var endpointsByURL: [String: [String: [String]]] = [:]  // driver → url → endpoint ids
        var owners: [String: String] = [:]  // backend ip:port → the endpoint whose instance it is
        var problems: [String: String] = [:]  // endpoint id → why this host does not balance it
        defer { self.problems = problems }
        // By name: when endpoints share a URL, the first by name gives the entry's settings.
        let ordered = endpoints.entries.sorted {
            (endpoints.names[$0.key] ?? $0.key) < (endpoints.names[$1.key] ?? $1.key)
        }
        // Each balanced endpoint's configuration, read once; one that is not valid is not
        // balanced (its owner reports why, once).
        let balancedConfigs: [(id: String, driver: String, config: EndpointConfig, url: String)] = ordered.compactMap {
            id, entry in
            guard let driver = entry.loadBalancer, drivers[driver] != nil,
                let config = try? EndpointConfig(json: entry.configuration), let url = config.url
            else { return nil }
            return (id, driver, config, url)
        }
        let hostNames = balancedConfigs.flatMap(\.config.staticHosts)
        let resolved = hostNames.isEmpty ? [:] : await resolver.resolve(hostNames)
        for (id, driver, config, url) in balancedConfigs {
            balanced.insert(id)
            let settings = config.drivers.loadBalancers[driver] ?? [:]
            if let problem = Self.problem(with: settings, driver: driver, url: url) {
                // Left out alone: one endpoint's bad settings must not stop the balancer serving
                // the others.
                problems[id] = "not balanced: \(problem)"
                await reportOnce(id, "endpoint \(endpoints.names[id] ?? id) is not balanced: \(problem)")
                continue
            }
            if let redirect = config.redirect,
                let problem = BalancerSettingsCheck.redirectProblem(driver: driver, redirect: redirect)
            {
                problems[id] = "not balanced: redirect: \(problem)"
                await reportOnce(id, "endpoint \(endpoints.names[id] ?? id) is not balanced: redirect: \(problem)")
                continue
            }
            // `instances_source`: the endpoint is served by another endpoint's instances.
            var source = id
            if let name = config.instancesSource, !name.isEmpty {
                guard let sourceID = endpoints.ids[name] else {
                    problems[id] = "instances_source '\(name)' names no endpoint: no backends"
                    await reportOnce(
                        id,
                        "instances_source '\(name)' names no endpoint; endpoint \(endpoints.names[id] ?? id) has no backends"
                    )
                    continue
                }
                source = sourceID
                balanced.insert(source)
            }
            endpointsByURL[driver, default: [:]][url, default: []].append(id)
            var statics = config.staticInstances.map(\.description)
            for host in config.staticHosts {
                switch resolved[host] {
                case .addresses(let addresses)?:
                    statics += addresses
                case .failure(let reason)?:
                    await reportOnce(
                        id, "static_instances: '\(host)' does not resolve (\(reason)); it is no backend until it does",
                        endpoint: id)
                case nil:
                    break
                }
            }
            let names = Set(await backends(of: source)).union(statics).sorted()
            let port = config.port ?? EndpointURL(url)?.port ?? 0
            var backends: [Backend] = []
            for name in names {
                // Confirmed by a manager, so an address unless written by hand.
                guard let address = BackendAddress(name) else {
                    await reportOnce(id, "endpoint \(endpoints.names[id] ?? id): '\(name)' is no backend address")
                    continue
                }
                let backend = Backend(ip: address.ip.description, port: address.port ?? port, weight: config.weight)
                backends.append(backend)
                owners[backend.address] = source
            }
            if var existing = services[driver, default: [:]][url] {
                existing.backends += backends
                services[driver]?[url] = existing
            } else {
                var algorithm = BalancingAlgorithm.roundRobin
                var holdTimeout = Duration.zero
                if driver == "tcp", let tcp = try? TCPSettings(section: settings) {  // checked above
                    algorithm = tcp.algorithm
                    holdTimeout = tcp.holdTimeout
                } else if let balance = settings["balance"],
                    let chosen = BalancingAlgorithm(rawValue: balance.lowercased())
                {
                    algorithm = chosen
                }
                services[driver, default: [:]][url] = BalancedService(
                    url: url, backends: backends, algorithm: algorithm, holdTimeout: holdTimeout,
                    redirect: config.redirect, settings: settings)
            }
        }
        backendIPs = backendIPs.filter { balanced.contains($0.key) }
        backendOwners = owners
        for (name, driver) in drivers {
            let wanted = (services[name] ?? [:]).values.sorted { $0.url < $1.url }
            let now = ContinuousClock.now
            // Left out while refused as they are: one endpoint the driver refuses must not stop it
            // serving the others (nginx refuses everything when one listen address is taken).
            let stillRefused = (refused[name] ?? [:]).filter { url, entry in
                wanted.contains { $0.url == url && RefusedService.definition($0) == entry.definition }
                    && now - entry.at < Self.retryRefused
            }
            refused[name] = stillRefused
            let candidate = wanted.filter { stillRefused[$0.url] == nil }
            // A driver starts (nginx, haproxy: a process) only once it has something to serve.
            if configured[name] == nil && candidate.isEmpty { continue }
            guard candidate != configured[name] else { continue }
            let known = Set((configured[name] ?? []).map(\.url))
            let outcome = await ConfigurationIsolation.apply(candidate, to: driver, known: known)
            configured[name] = outcome.applied
            for (url, reason) in outcome.refused {
                guard let service = candidate.first(where: { $0.url == url }) else { continue }
                refused[name, default: [:]][url] = RefusedService(
                    definition: RefusedService.definition(service), reason: reason, at: now)
                for id in endpointsByURL[name]?[url] ?? [] {
                    await reportOnce(
                        id, "endpoint \(endpoints.names[id] ?? id) is not balanced by \(name): \(reason)", endpoint: id)
                }
            }
            for service in outcome.applied {
                for id in endpointsByURL[name]?[service.url] ?? [] where forgetProblems(of: id, driver: name) {
                    await log(.info, "endpoint \(endpoints.names[id] ?? id) is balanced by \(name) again", endpoint: id)
                }
            }
        }
        // What a driver refused stays a problem while it is left out (retried after ``retryRefused``).
        for (name, entries) in refused {
            for (url, entry) in entries {
                for id in endpointsByURL[name]?[url] ?? [] {
                    problems[id] = "not balanced by \(name): \(entry.reason)"
                }
            }
        }
    }

    /// What is wrong with an endpoint's `[loadbalancer:<driver>]` section, checked before it
    /// reaches the driver (which would refuse the whole configuration); nil when nothing is.
    static func problem(with settings: [String: String], driver: String, url: String) -> String? {
        if let (key, message) = BalancerSettingsCheck.problem(driver: driver, section: settings, url: url) {
            return "[loadbalancer:\(driver)] \(key): \(message)"
        }
        // The files a TLS URL (https://, or ssl = true) names must be readable on this host (the
        // API cannot know); PEM text and no files at all (a self-signed pair) are made here by the driver.
        if driver == "nginx", NginxSettings.servesTLS(url: url, section: settings) {
            for key in ["ssl_certificate", "ssl_key"] {
                guard let path = settings[key], !path.isEmpty, !NginxSettings.isPEM(path) else { continue }
                guard FileManager.default.isReadableFile(atPath: path) else {
                    return "[loadbalancer:nginx] \(key) '\(path)' cannot be read"
                }
            }
        }
        return nil
    }

    /// An endpoint's confirmed IPs, read again only when its watch fired.
    private mutating func backends(of id: String) async -> [String] {
        if let known = backendIPs[id], !known.watch.hasFired { return known.ips }
        // Unreadable (the endpoint was deleted, the connection lost): no backends until it is read.
        guard let (ips, watch) = try? await store.watchConfirmedIPs(id: id) else {
            backendIPs[id] = nil
            return []
        }
        backendIPs[id] = (ips, watch)
        let changes = changes
        Task {
            // Wakes the loop when the backends change (or the session ends the watch).
            _ = try? await watch.event()
            changes.ring()
        }
        return ips
    }

    /// Publishes this host's balancer metrics, held connections and sessions; carries out
    /// session drops requested through the API.
    mutating func publish(_ endpoints: EndpointDirectory) async throws {
        guard !drivers.isEmpty else { return }
        var metrics: [String: [String: [Double]]] = [:]
        var pending: [String: Int] = [:]
        var sessions: [String: String] = [:]
        for driver in drivers.values {
            metrics.merge(await driver.metrics()) { first, _ in first }
            pending.merge(await driver.pending()) { $0 + $1 }
            sessions.merge(await driver.sessions()) { first, _ in first }
        }
        let activeTotal = metrics.values.reduce(0.0) { $0 + ($1["active"]?.last ?? 0) }
        let metricsJSON = JSONValue.object(
            metrics.mapValues { values in .array([.object(values.mapValues { .array($0.map(JSONValue.number)) })]) })
        try await publishReport(.metrics, metricsJSON)
        try await publishReport(.pending, .object(pending.mapValues { .number(Double($0)) }))
        try await publishReport(.active, .number(activeTotal))
        try await publishReport(.problems, problemsReport())

        // Sessions, filed under the endpoint whose backend they reach.
        var byEndpoint: [String: [String: String]] = [:]
        for (clientAddress, backend) in sessions {
            if let id = backendOwners[backend] { byEndpoint[id, default: [:]][clientAddress] = backend }
        }
        for id in Set(byEndpoint.keys).union(publishedSessions.keys) {
            let now = byEndpoint[id] ?? [:]
            let before = publishedSessions[id] ?? []
            var listed: Set<String> = []
            for (clientAddress, backend) in now {
                guard !before.contains(clientAddress) else {
                    listed.insert(clientAddress)
                    continue
                }
                do {
                    // Listed already by another front door for the same client is fine.
                    try await store.listSession(id: id, client: clientAddress, backend: backend)
                    listed.insert(clientAddress)
                } catch {
                    continue  // tried again next pass
                }
            }
            for clientAddress in before where now[clientAddress] == nil {
                do {
                    try await store.unlistSession(id: id, client: clientAddress)
                } catch {
                    // The node is ephemeral: it goes with this session at the latest.
                    log.logger.debug("cannot unlist session \(clientAddress): \(error)")
                }
            }
            publishedSessions[id] = listed
        }
        // Session drops: every front door cuts its own; the owner clears the request.
        guard !sessions.isEmpty else { return }
        for id in byEndpoint.keys {
            // Unreadable now: the request stays and is carried out next pass.
            let drops = (try? await store.sessionDropRequests(id: id)) ?? []
            for clientAddress in drops where sessions[clientAddress] != nil {
                for driver in drivers.values where await driver.dropSession(clientAddress) {
                    await log(.info, "cut session \(clientAddress) on request", endpoint: id)
                }
            }
        }
    }

    /// Puts `driver` in the place of the one of that name (stopped first: it holds the ports);
    /// the next refresh configures it with every service.
    mutating func replaceDriver(_ name: String, with driver: any LoadBalancerDriver) async {
        if let old = drivers[name] { await old.shutdown() }
        drivers[name] = driver
        configured[name] = nil
        refused[name] = nil
    }

    /// Stops serving and closes every connection.
    func shutdown() async {
        for driver in drivers.values { await driver.shutdown() }
    }

    /// This host's problems with each endpoint as conditions (`{uuid: {reason, since, last_seen}}`),
    /// their times kept while they hold.
    private mutating func problemsReport() -> JSONValue {
        let now = Date().timeIntervalSince1970
        for id in Set(conditions.keys).union(problems.keys) {
            var held = conditions[id] ?? EndpointConditions()
            held.observe(problems[id].map { [.balancerFailed: $0] } ?? [:], now: now, source: managerID)
            conditions[id] = held.current.isEmpty ? nil : held
        }
        var report: [String: JSONValue] = [:]
        for (id, held) in conditions {
            guard let condition = held.current[.balancerFailed] else { continue }
            report[id] = [
                "reason": .string(condition.reason), "since": .number(condition.since),
                "last_seen": .number(condition.lastSeen),
            ]
        }
        return .object(report)
    }

    private mutating func publishReport(_ kind: ReactorStore.FrontDoorReport, _ value: JSONValue) async throws {
        guard published[kind] != value else { return }
        try await store.publishFrontDoorReport(kind, value, managerID: managerID)
        published[kind] = value
    }

    private mutating func reportOnce(_ key: String, _ message: String, endpoint: String? = nil) async {
        guard reportedProblems.insert("\(key):\(message)").inserted else { return }
        await log(.warning, message, endpoint: endpoint)
    }

    /// Forgets the balancer problems reported for endpoint `id` by `driver`, so that a new one is
    /// reported again; true when there were some.
    private mutating func forgetProblems(of id: String, driver: String) -> Bool {
        let reported = reportedProblems.filter {
            $0.hasPrefix("\(id):") && $0.contains(" is not balanced by \(driver): ")
        }
        reportedProblems.subtract(reported)
        return !reported.isEmpty
    }

    /// Forgets what was published and read (after a session expiry its ephemeral nodes and
    /// watches are gone).
    mutating func forgetPublished() {
        published.removeAll()
        publishedSessions.removeAll()
        backendIPs.removeAll()
    }
}
