import Logging
import ReactorCore
import ReactorStore
import ZooKeeper

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
    /// A file holding the admin key (readable by its owner only), set as the key at start when
    /// none is set (`--auth-key-file`); default none.
    public var authKeyFile: String?
    /// Serve on a non-loopback address with no admin key set (`--allow-open`); default `false`:
    /// such a start is refused.
    public var allowOpen = false
    /// ZooKeeper digest credentials (`--zookeeper-auth`); default none.
    public var zookeeperAuth: ZooKeeperClient.DigestCredentials?
    /// With ``zookeeperAuth``: serve although Reactor's base nodes carry the open ACL
    /// (`--accept-open-acl`); default false: refuse to start, naming them.
    public var acceptOpenACL = false
    /// How long a connection may stay idle (no request read, no answer written) before it is
    /// closed (`--idle-timeout`); default 60 s.
    public var idleTimeout: Duration = .seconds(60)
    /// The certificate and key to serve HTTPS with (`--tls-cert`, `--tls-key`); default none
    /// (plain HTTP).
    public var tls: TLSFiles?
    /// Proxies whose `X-Forwarded-For` names the caller (`--trusted-proxy`), besides the running
    /// managers' advertised addresses; default 127.0.0.1 and ::1 only (not the loopback pools
    /// the process cloud's instances use).
    public var trustedProxies: [IPBlock] = IPBlock.localHost
    /// How many keyless `POST /register` each source address may send (`--register-rate`).
    public var registrationRate = RegistrationRate()

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

/// How many keyless registrations one source address may send: `burst` at once, then
/// `perSecond` on average. Beyond that it gets 429 Too Many Requests.
public struct RegistrationRate: Sendable, Hashable {
    public var perSecond: Double
    public var burst: Int

    public init(perSecond: Double = 5, burst: Int = 20) {
        self.perSecond = perSecond
        self.burst = burst
    }
}

/// The PEM files the API serves HTTPS with.
public struct TLSFiles: Sendable, Hashable {
    /// The certificate chain (PEM), the server's certificate first.
    public var certificate: String
    /// The private key (PEM).
    public var key: String

    /// - Parameters:
    ///   - certificate: path of the PEM certificate chain.
    ///   - key: path of the PEM private key.
    public init(certificate: String, key: String) {
        self.certificate = certificate
        self.key = key
    }
}
