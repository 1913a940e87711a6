/// The cloud drivers Reactor knows. A configuration naming any other cloud is invalid.
public enum CloudDriverKind: String, Sendable, Hashable, CaseIterable {
    case process
    case docker
    case openstack
}

/// The load balancer drivers Reactor knows, and the endpoint URLs each can serve.
public enum LoadBalancerDriverKind: String, Sendable, Hashable, CaseIterable {
    /// Built-in TCP proxy: `tcp://[host:]port`.
    case tcp
    /// `http://host[:port][/path]` or `https://...`.
    case nginx
    /// `tcp://[host:]port` or `http://host[:port]` (haproxy balances the whole address: no path).
    case haproxy
    /// DNS round robin: `dns://name`.
    case dnsmasq

    /// The URL forms this balancer accepts, for error messages.
    public var urlForms: String {
        switch self {
        case .tcp: "tcp://[host:]port"
        case .nginx: "http://host[:port][/path] or https://host[:port][/path]"
        case .haproxy: "tcp://[host:]port or http://host[:port] (no path)"
        case .dnsmasq: "dns://name"
        }
    }
}

/// The single list of known driver names and the configuration sections that carry their settings.
public enum KnownDrivers {
    /// Known cloud driver names: `process`, `docker`, `openstack`.
    public static let clouds: [String] = CloudDriverKind.allCases.map(\.rawValue)
    /// Known load balancer driver names: `tcp`, `nginx`, `haproxy`, `dnsmasq`.
    public static let loadBalancers: [String] = LoadBalancerDriverKind.allCases.map(\.rawValue)

    /// Prefix of cloud settings sections: `[cloud:<driver>]`.
    public static let cloudSectionPrefix = "cloud:"
    /// Prefix of load balancer settings sections: `[loadbalancer:<driver>]`.
    public static let loadBalancerSectionPrefix = "loadbalancer:"

    /// Whether `name` is a known cloud driver.
    public static func isCloud(_ name: String) -> Bool { clouds.contains(name) }
    /// Whether `name` is a known load balancer driver.
    public static func isLoadBalancer(_ name: String) -> Bool { loadBalancers.contains(name) }

    /// The original Reactor's clouds this build does not have, and why.
    static let originalClouds = [
        "osapi": "the OpenStack clouds are not available in this build (osapi and osvms of the original Reactor)",
        "osvms": "the OpenStack clouds are not available in this build (osapi and osvms of the original Reactor)",
    ]

    /// The original Reactor's balancers this build does not have, and why.
    static let originalLoadBalancers = [
        "rdp":
            "the rdp balancer (the original Reactor's Windows desktops joined to a domain, with osvms) is not "
            + "available in this build; tcp or haproxy balance RDP's TCP port without the domain join"
    ]

    static func unknownCloudMessage(_ name: String) -> String {
        originalClouds[name] ?? "unknown cloud driver '\(name)'; known: \(clouds.joined(separator: ", "))"
    }

    static func unknownLoadBalancerMessage(_ name: String) -> String {
        originalLoadBalancers[name]
            ?? "unknown loadbalancer driver '\(name)'; known: \(loadBalancers.joined(separator: ", "))"
    }
}
