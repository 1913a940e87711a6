import Logging

extension ZooKeeperClient {
    /// How to reach the ensemble and how the session behaves.
    public struct Configuration: Sendable {
        /// `host:port[,host:port…][/chroot]`. Default `127.0.0.1:2181`.
        public var connectString: String
        /// The session timeout asked of the server (the server clamps it to its min/max). Default 10 s.
        public var sessionTimeout: Duration
        /// How long ``ZooKeeperClient/connect(_:)`` waits for a first session. Default 15 s.
        public var connectTimeout: Duration
        /// Open a new session by itself after the old one expired. Default `true`.
        public var reconnectAfterExpiry: Bool
        /// Largest data accepted for one node, in bytes. Default 1,048,575 (ZooKeeper's
        /// default `jute.maxbuffer`); larger data is refused before it is sent.
        public var maxDataSize: Int
        /// The logger for connection events.
        public var logger: Logger
        /// Credentials for `digest` authentication; default none (anonymous, and the nodes this
        /// client creates are open to everyone).
        public var authentication: DigestCredentials?

        public init(
            connectString: String = "127.0.0.1:2181",
            sessionTimeout: Duration = .seconds(10),
            connectTimeout: Duration = .seconds(15),
            reconnectAfterExpiry: Bool = true,
            maxDataSize: Int = 1_048_575,
            logger: Logger = Logger(label: "reactor.zookeeper"),
            authentication: DigestCredentials? = nil
        ) {
            self.connectString = connectString
            self.sessionTimeout = sessionTimeout
            self.connectTimeout = connectTimeout
            self.reconnectAfterExpiry = reconnectAfterExpiry
            self.maxDataSize = maxDataSize
            self.logger = logger
            self.authentication = authentication
        }

        var sessionTimeoutMilliseconds: Int32 {
            let (seconds, attoseconds) = sessionTimeout.components
            return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        }
    }
}
