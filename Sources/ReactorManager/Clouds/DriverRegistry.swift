import Foundation
import LoadBalancers
import Logging
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
}

/// What a load balancer driver is made from on one manager.
public struct BalancerContext: Sendable {
    /// The driver's own folder for its files.
    public var directory: String
    /// Where the `dnsmasq` driver answers DNS queries.
    public var dns: (listen: String, port: Int)
    public var logger: Logger
}

/// The clouds and load balancers a build offers: one factory per driver name, built once by the
/// executable and handed to every manager it runs. The manager loop asks the registry for its
/// drivers by the names it advertises and never names a driver itself.
public struct DriverRegistry: Sendable {
    /// One cloud driver: whether this host can run it, and how to make it.
    public struct Cloud: Sendable {
        public var isAvailable: @Sendable () -> Bool
        public var make: @Sendable (CloudContext) -> any CloudDriver

        public init(
            isAvailable: @escaping @Sendable () -> Bool, make: @escaping @Sendable (CloudContext) -> any CloudDriver
        ) {
            self.isAvailable = isAvailable
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

    /// What this build has: the `process` cloud; the `tcp`, `nginx`, `haproxy` and `dnsmasq`
    /// balancers.
    public static let builtIn = DriverRegistry(
        clouds: [
            "process": Cloud(isAvailable: { FileManager.default.isExecutableFile(atPath: "/bin/sh") }) { context in
                ProcessCloud(
                    client: context.client, host: context.host, apiURL: context.apiURL, logger: context.logger,
                    liveHosts: context.liveHosts)
            }
        ],
        loadBalancers: [
            "tcp": Balancer(isAvailable: { true }) { TCPBalancer(logger: $0.logger) },
            "nginx": Balancer(isAvailable: { HostFacts.isInstalled("nginx") }) {
                NginxBalancer(directory: $0.directory, logger: $0.logger)
            },
            "haproxy": Balancer(isAvailable: { HostFacts.isInstalled("haproxy") }) {
                HAProxyBalancer(directory: $0.directory, logger: $0.logger)
            },
            "dnsmasq": Balancer(isAvailable: { HostFacts.isInstalled("dnsmasq") }) {
                DNSMasqBalancer(directory: $0.directory, listen: $0.dns.listen, port: $0.dns.port, logger: $0.logger)
            },
        ])

    /// The clouds this host can run, sorted: only these are advertised, so the ring never gives
    /// this host an endpoint it cannot serve.
    public func availableClouds() -> [String] {
        clouds.filter { $0.value.isAvailable() }.keys.sorted()
    }

    /// The load balancers this host can run, sorted (`tcp` needs nothing but the manager).
    public func availableLoadBalancers() -> [String] {
        loadBalancers.filter { $0.value.isAvailable() }.keys.sorted()
    }

    /// The cloud drivers for `names`; names this build has no driver for are skipped.
    public func makeClouds(_ names: [String], context: CloudContext) -> [String: any CloudDriver] {
        var made: [String: any CloudDriver] = [:]
        for name in names { if let cloud = clouds[name] { made[name] = cloud.make(context) } }
        return made
    }

    /// The balancer drivers for `names`, each with a folder of its own under `stateDirectory`.
    public func makeLoadBalancers(
        _ names: [String], stateDirectory: String, dns: (listen: String, port: Int), logger: Logger
    ) -> [String: any LoadBalancerDriver] {
        var made: [String: any LoadBalancerDriver] = [:]
        for name in names {
            guard let balancer = loadBalancers[name] else { continue }
            made[name] = balancer.make(
                BalancerContext(directory: "\(stateDirectory)/\(name)", dns: dns, logger: logger))
        }
        return made
    }
}
