/// Where Reactor keeps its state in ZooKeeper (docs/design.md#zookeeper-layout), as paths relative to the
/// connection's chroot.
///
/// Every function takes names that were already validated as single znode names
/// (``ReactorCore/NodeName``) or canonical IP addresses; none of them escapes its argument.
public enum ZNodeLayout {
    /// `/reactor`
    public static let root = "/reactor"
    /// `/reactor/auth`: the admin key's salted hash.
    public static let auth = "\(root)/auth"
    /// `/reactor/url`: the API URL handed to instances.
    public static let url = "\(root)/url"

    /// `/reactor/managers/configs`
    public static let managerConfigs = "\(root)/managers/configs"
    /// `/reactor/managers/keys`: one ephemeral node per running manager.
    public static let managerKeys = "\(root)/managers/keys"
    /// `/reactor/managers/metrics`
    public static let managerMetrics = "\(root)/managers/metrics"
    /// `/reactor/managers/pending`
    public static let managerPending = "\(root)/managers/pending"
    /// `/reactor/managers/active`: each manager's active connection total.
    public static let managerActive = "\(root)/managers/active"
    /// `/reactor/managers/problems`: each manager's front-door problems, by endpoint uuid.
    public static let managerProblems = "\(root)/managers/problems"
    /// `/reactor/managers/logs`
    public static let managerLogs = "\(root)/managers/logs"

    /// `/reactor/endpoints/names`: name → endpoint uuid (aliases share a uuid).
    public static let endpointNames = "\(root)/endpoints/names"
    /// `/reactor/endpoints/data`: one node per endpoint uuid holding its configuration.
    public static let endpointData = "\(root)/endpoints/data"

    /// `/reactor/ip_addresses`: confirmed IP → endpoint uuid.
    public static let ipAddresses = "\(root)/ip_addresses"
    /// `/reactor/new_ips`: registration queue.
    public static let newIPs = "\(root)/new_ips"
    /// `/reactor/drop_ips`: unregistration queue.
    public static let dropIPs = "\(root)/drop_ips"
    /// `/reactor/loadbalancers`: driver-private state.
    public static let loadBalancers = "\(root)/loadbalancers"
    /// `/reactor/clouds`: driver-private state.
    public static let clouds = "\(root)/clouds"

    /// The nodes every installation has; created (idempotently) by ``ReactorStore/prepareLayout()``.
    public static let basePaths = [
        managerConfigs, managerKeys, managerMetrics, managerPending, managerActive, managerLogs,
        endpointNames, endpointData, ipAddresses, newIPs, dropIPs, loadBalancers, clouds,
    ]

    /// `/reactor/endpoints/names/<name>`
    public static func endpointName(_ name: String) -> String { "\(endpointNames)/\(name)" }

    /// `/reactor/endpoints/data/<uuid>`, or one of its children when `child` is given
    /// (`state`, `manager`, `log`, `confirmed_ips/<ip>` …).
    public static func endpoint(_ id: String, _ child: String? = nil) -> String {
        child.map { "\(endpointData)/\(id)/\($0)" } ?? "\(endpointData)/\(id)"
    }

    /// `/reactor/endpoints/data/<uuid>/decision`: the owner's last scaling decision (JSON).
    public static func endpointDecision(_ id: String) -> String { endpoint(id, EndpointNode.decision) }

    /// `/reactor/endpoints/data/<uuid>/metadata/<key>`: one metadata value (JSON).
    public static func endpointMetadata(_ id: String, key: String) -> String {
        endpoint(id, "\(EndpointNode.metadata)/\(key)")
    }

    /// `/reactor/managers/configs/<name>`
    public static func managerConfig(_ name: String) -> String { "\(managerConfigs)/\(name)" }
    /// `/reactor/managers/keys/<uuid>`
    public static func managerKey(_ id: String) -> String { "\(managerKeys)/\(id)" }
    /// `/reactor/managers/logs/<name>`
    public static func managerLog(_ name: String) -> String { "\(managerLogs)/\(name)" }
    /// `/reactor/ip_addresses/<ip>`
    public static func ipAddress(_ ip: String) -> String { "\(ipAddresses)/\(ip)" }
}

/// Children of an endpoint's data node (docs/design.md#zookeeper-layout).
public enum EndpointNode {
    public static let state = "state"
    public static let manager = "manager"
    /// Its version is the owner's epoch (fencing).
    public static let managerEpoch = "manager_epoch"
    public static let liveMetrics = "live_metrics"
    public static let liveActive = "live_active"
    public static let customMetrics = "custom_metrics"
    public static let ipMetrics = "ip_metrics"
    public static let confirmedIPs = "confirmed_ips"
    public static let instances = "instances"
    public static let decommissioned = "decommissioned"
    public static let errored = "errored"
    public static let markedIP = "marked_ip"
    public static let sessionsActive = "sessions/active"
    public static let sessionsDrop = "sessions/drop"
    public static let log = "log"
    public static let metadata = "metadata"
    public static let decision = "decision"
    /// The owner's conditions (current problems) of the endpoint (JSON array).
    public static let conditions = "conditions"
}
