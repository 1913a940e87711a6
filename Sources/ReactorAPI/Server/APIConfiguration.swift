import Logging
import ReactorStore

/// How `reactor api` runs.
public struct APIConfiguration: Sendable {
    /// ZooKeeper ensemble `host:port[,host:port…][/chroot]`; default `127.0.0.1:2181`.
    public var zookeeper: String
    /// Address to listen on; default `0.0.0.0`.
    public var host: String
    /// Port to listen on (0: any free port); default 8080.
    public var port: Int
    /// ZooKeeper session timeout; default 10 s.
    public var sessionTimeout: Duration
    /// How long to wait for ZooKeeper at start; default 15 s.
    public var connectTimeout: Duration
    /// Log ring sizes; default 100 entries per endpoint, 200 per manager.
    public var limits: ReactorStore.Limits
    /// How many znodes the watch-maintained read cache keeps (``WatchedNodeCache``); 0 turns it
    /// off. Default ``WatchedNodeCache/defaultCapacity``.
    public var readCacheCapacity: Int
    /// The logger for requests and the server; default label `reactor.api` at `info`.
    public var logger: Logger

    /// See the properties for the meaning and default of each parameter.
    public init(
        zookeeper: String = "127.0.0.1:2181", host: String = "0.0.0.0", port: Int = 8080,
        sessionTimeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(15),
        limits: ReactorStore.Limits = .init(), readCacheCapacity: Int = WatchedNodeCache.defaultCapacity,
        logger: Logger? = nil
    ) {
        self.zookeeper = zookeeper
        self.host = host
        self.port = port
        self.sessionTimeout = sessionTimeout
        self.connectTimeout = connectTimeout
        self.limits = limits
        self.readCacheCapacity = readCacheCapacity
        self.logger =
            logger
            ?? {
                var logger = Logger(label: "reactor.api")
                logger.logLevel = .info
                return logger
            }()
    }
}
