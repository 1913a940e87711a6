import Foundation
import LoadBalancers
import Logging
import ReactorCore
import ZooKeeper

/// What a cloud driver is made from on one manager.
public struct CloudContext: Sendable {
    public var client: ZooKeeperClient
    /// This manager's name (its host, for the drivers that record where instances run).
    public var host: String
    /// `REACTOR_API` for instances when `/reactor/url` is not set.
    public var apiURL: String
    public var logger: Logger
    /// Names of hosts with a live manager.
    public var liveHosts: @Sendable () async -> Set<String>
    /// The manager's own `[cloud:<driver>]` section, as its configuration says now (empty when
    /// it has none).
    public var hostSection: @Sendable () -> [String: String] = { [:] }
}

/// What a load balancer driver is made from on one manager.
public struct BalancerContext: Sendable {
    /// The driver's own folder for its files.
    public var directory: String
    /// Where the `dnsmasq` driver answers DNS queries, as the command line says (nil: not said).
    public var dns: (listen: String?, port: Int?)
    /// The manager's own `[loadbalancer:<driver>]` section.
    public var section = BalancerHostSettings()
    public var logger: Logger

    /// The command line first, then the manager's section, then all addresses and port 53.
    var dnsListen: String { dns.listen ?? section.listen ?? "0.0.0.0" }
    var dnsPort: Int { dns.port ?? section.port ?? 53 }
}

/// The clouds and load balancers a build offers: one factory per driver name, built once by the
/// executable and handed to every manager it runs. The manager loop asks the registry for its
/// drivers by the names it advertises and never names a driver itself.
public struct DriverRegistry: Sendable {
    /// One cloud driver: whether this host can run it, and how to make it.
    public struct Cloud: Sendable {
        public var isAvailable: @Sendable () -> Bool
        /// For a driver that depends on something the manager's configuration names (the docker
        /// engine's socket): asked with the manager's `[cloud:<driver>]` section before the
        /// driver is advertised; nil when it can run, else why not. Nil: `isAvailable` decides.
        public var probe: (@Sendable ([String: String]) async -> String?)?
        public var make: @Sendable (CloudContext) -> any CloudDriver

        public init(
            isAvailable: @escaping @Sendable () -> Bool,
            probe: (@Sendable ([String: String]) async -> String?)? = nil,
            make: @escaping @Sendable (CloudContext) -> any CloudDriver
        ) {
            self.isAvailable = isAvailable
            self.probe = probe
            self.make = make
        }
    }

    /// One load balancer driver: whether this host can run it, and how to make it.
    public struct Balancer: Sendable {
        public var isAvailable: @Sendable () -> Bool
        public var make: @Sendable (BalancerContext) -> any LoadBalancerDriver

        public init(
            isAvailable: @escaping @Sendable () -> Bool,
            make: @escaping @Sendable (BalancerContext) -> any LoadBalancerDriver
        ) {
            self.isAvailable = isAvailable
            self.make = make
        }
    }

    public var clouds: [String: Cloud]
    public var loadBalancers: [String: Balancer]

    public init(clouds: [String: Cloud], loadBalancers: [String: Balancer]) {
        self.clouds = clouds
        self.loadBalancers = loadBalancers
    }

    /// What this build has: the `process` and `docker` clouds; the `tcp`, `nginx`, `haproxy` and
    /// `dnsmasq` balancers.
    public static let builtIn = DriverRegistry(
        clouds: [
            "process": Cloud(isAvailable: { FileManager.default.isExecutableFile(atPath: "/bin/sh") }) { context in
                ProcessCloud(
                    client: context.client, host: context.host, apiURL: context.apiURL, logger: context.logger,
                    liveHosts: context.liveHosts, hostSection: context.hostSection)
            },
            "docker": Cloud(isAvailable: { true }, probe: { await DockerCloud.probe($0) }) { context in
                DockerCloud(
                    client: context.client, host: context.host, apiURL: context.apiURL, logger: context.logger,
                    liveHosts: context.liveHosts, hostSection: context.hostSection)
            },
        ],
        loadBalancers: [
            "tcp": Balancer(isAvailable: { true }) {
                TCPBalancer(
                    threads: $0.section.threads ?? TCPBalancer.defaultThreads,
                    connectTimeout: .milliseconds(Int(($0.section.connectTimeout ?? 2) * 1000)), logger: $0.logger)
            },
            "nginx": Balancer(isAvailable: { HostFacts.isInstalled("nginx") }) {
                NginxBalancer(
                    directory: $0.directory, executable: $0.section.executable, user: $0.section.user,
                    logger: $0.logger)
            },
            "haproxy": Balancer(isAvailable: { HostFacts.isInstalled("haproxy") }) {
                HAProxyBalancer(directory: $0.directory, executable: $0.section.executable, logger: $0.logger)
            },
            "dnsmasq": Balancer(isAvailable: { HostFacts.isInstalled("dnsmasq") }) {
                DNSMasqBalancer(
                    directory: $0.directory, listen: $0.dnsListen, port: $0.dnsPort, executable: $0.section.executable,
                    logger: $0.logger)
            },
        ])

    /// The clouds this host can run that need no probe, sorted: only these (and the probed ones
    /// that answer, see ``probedClouds(_:sections:)``) are advertised, so the ring never gives
    /// this host an endpoint it cannot serve.
    public func availableClouds() -> [String] {
        clouds.filter { $0.value.probe == nil && $0.value.isAvailable() }.keys.sorted()
    }

    /// Among `names`, the clouds with a probe that answers for the manager's sections; with why
    /// each other probed cloud is not offered.
    public func probedClouds(_ names: [String], sections: [String: [String: String]]) async
        -> (offered: [String], refused: [String: String])
    {
        var offered: [String] = []
        var refused: [String: String] = [:]
        for name in names.sorted() {
            guard let cloud = clouds[name], let probe = cloud.probe, cloud.isAvailable() else { continue }
            if let reason = await probe(sections[name] ?? [:]) { refused[name] = reason } else { offered.append(name) }
        }
        return (offered, refused)
    }

    /// The load balancers this host can run, sorted (`tcp` needs nothing but the manager).
    public func availableLoadBalancers() -> [String] {
        loadBalancers.filter { $0.value.isAvailable() }.keys.sorted()
    }

    /// The cloud drivers for `names`; names this build has no driver for are skipped.
    ///
    /// - Parameter sections: the manager's `[cloud:<driver>]` sections now; each driver is given
    ///   its own (``CloudContext/hostSection``). Default none.
    public func makeClouds(
        _ names: [String], context: CloudContext,
        sections: @escaping @Sendable () -> [String: [String: String]] = { [:] }
    ) -> [String: any CloudDriver] {
        var made: [String: any CloudDriver] = [:]
        for name in names {
            guard let cloud = clouds[name] else { continue }
            var own = context
            own.hostSection = { sections()[name] ?? [:] }
            made[name] = cloud.make(own)
        }
        return made
    }

    /// The balancer drivers for `names`, each with a folder of its own under `stateDirectory`.
    ///
    /// - Parameter sections: the manager's `[loadbalancer:<driver>]` sections; each driver is made
    ///   with its own (one that is not valid counts as empty, with a warning). Default none.
    public func makeLoadBalancers(
        _ names: [String], stateDirectory: String, dns: (listen: String?, port: Int?),
        sections: [String: [String: String]] = [:], logger: Logger
    ) -> [String: any LoadBalancerDriver] {
        var made: [String: any LoadBalancerDriver] = [:]
        for name in names {
            guard let balancer = loadBalancers[name] else { continue }
            var context = BalancerContext(directory: "\(stateDirectory)/\(name)", dns: dns, logger: logger)
            do {
                context.section = try BalancerHostSettings(driver: name, sections[name] ?? [:])
            } catch {
                logger.warning(
                    "the manager's [loadbalancer:\(name)] section is not valid (\(error)); using the defaults")
            }
            made[name] = balancer.make(context)
        }
        return made
    }
}
