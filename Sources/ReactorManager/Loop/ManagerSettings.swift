import Logging

/// How a manager runs, beyond what its stored configuration says.
public struct ManagerSettings: Sendable {
    /// The loop interval; overrides `[manager] interval` when set (tests use short ones).
    public var interval: Duration?
    /// The clouds and load balancers to make drivers from; default the build's own.
    public var drivers: DriverRegistry = .builtIn
    /// Where process-based balancers (nginx, haproxy) keep their files; default a folder per
    /// manager name and ensemble under the temporary directory.
    public var stateDirectory: String?
    /// Where the `dnsmasq` balancer answers DNS queries (`--dns-listen`, `--dns-port`); nil:
    /// as the manager's `[loadbalancer:dnsmasq]` section says, else all addresses, port 53.
    public var dnsListen: String?
    public var dnsPort: Int?
    /// The number of ring keys; overrides `[manager] keys` when set.
    public var keyCount: Int?
    /// The loop interval when neither this nor the configuration says. Default 10 s.
    public var defaultInterval: Duration = .seconds(10)
    public var logger: Logger
    /// Run although Reactor's base nodes carry the open ACL (`--accept-open-acl`); default false.
    public var acceptOpenACL = false
    /// Where every fenced action is recorded (`--fence-audit`); default nowhere.
    public var fenceAudit: FenceAudit?
    /// Where the loop records its Prometheus series (`--metrics-port`); default none.
    public var metrics: ManagerMetrics?
    /// The API URL given to instances (`REACTOR_API`) when `/reactor/url` is not set.
    public var apiURL: String = "http://127.0.0.1:8080"
    /// Makes the `apihttp` and `apihttps` endpoints when absent (``APIExposure``); default nil.
    public var exposeAPI: APIExposure?
    /// What the loop's interval is timed on. Default ``LoopClock/continuous``.
    public var clock: LoopClock = .continuous
    /// Set when the installation ends with this manager (`reactor up` with a private
    /// ZooKeeper): on shutdown, before handing its endpoints over, the manager ends the instances
    /// of its host that only it can end (``CloudDriver/endHostInstances()``: docker containers)
    /// and calls this with each cloud's name and how many it ended. Default nil: they keep
    /// running, for a manager of the same name to adopt.
    public var endHostInstancesOnShutdown: (@Sendable (_ cloud: String, _ ended: Int) -> Void)?

    public init(interval: Duration? = nil, logger: Logger = Logger(label: "reactor.manager")) {
        self.interval = interval
        self.logger = logger
    }
}
