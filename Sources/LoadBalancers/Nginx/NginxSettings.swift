/// The `[loadbalancer:nginx]` section of an endpoint: how nginx balances and proxies its requests.
///
/// ```ini
/// [loadbalancer:nginx]
/// balance = leastconn               ; roundrobin | leastconn; default: the service's algorithm
/// sticky_sessions = true            ; same client address → same instance; default false
/// sticky_method = hash              ; hash ($remote_addr, consistent) | ip_hash; default hash
/// keepalive = 16                    ; idle keep-alive connections to instances per worker; 0 = none; default 16
/// ssl_certificate = /etc/ssl/web.pem  ; needed for https:// URLs
/// ssl_key = /etc/ssl/web.key          ; needed for https:// URLs
/// connect_timeout = 2               ; seconds to connect to an instance before trying the next; default 2
/// read_timeout = 60                 ; seconds an instance may stay silent mid-response; default 60
/// ```
public struct NginxSettings: Sendable, Hashable {
    /// How nginx can keep a client on one instance.
    public enum StickyMethod: String, Sendable, Hashable, CaseIterable {
        /// `hash $remote_addr consistent`: by the whole client address; few clients move when instances change.
        case hash
        /// `ip_hash`: by the first three octets of an IPv4 client address (a /24 sticks together).
        case ipHash = "ip_hash"
    }

    /// `balance`; `nil` (default) uses the service's ``BalancedService/algorithm``.
    public var algorithm: BalancingAlgorithm?
    /// `sticky_sessions`; default `false`. Sticky sessions override `balance`.
    public var stickySessions: Bool
    /// `sticky_method`; default ``StickyMethod/hash``.
    public var stickyMethod: StickyMethod
    /// `keepalive`; default 16.
    public var keepalive: Int
    /// `ssl_certificate`; default `nil`.
    public var sslCertificate: String?
    /// `ssl_key`; default `nil`.
    public var sslKey: String?
    /// `connect_timeout`; default 2 s.
    public var connectTimeout: Duration
    /// `read_timeout`; default 60 s.
    public var readTimeout: Duration

    /// - Parameters: each defaults as documented on its property.
    public init(
        algorithm: BalancingAlgorithm? = nil,
        stickySessions: Bool = false,
        stickyMethod: StickyMethod = .hash,
        keepalive: Int = 16,
        sslCertificate: String? = nil,
        sslKey: String? = nil,
        connectTimeout: Duration = .seconds(2),
        readTimeout: Duration = .seconds(60)
    ) {
        self.algorithm = algorithm
        self.stickySessions = stickySessions
        self.stickyMethod = stickyMethod
        self.keepalive = keepalive
        self.sslCertificate = sslCertificate
        self.sslKey = sslKey
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
    }

    /// Reads the section's keys; absent keys take their defaults and unknown keys are ignored.
    ///
    /// - Throws: ``NginxBalancerError/invalidSetting(key:value:expected:)`` naming the key and what it takes.
    public init(section: [String: String]) throws(NginxBalancerError) {
        self.init()
        if let text = section["balance"] {
            guard let algorithm = BalancingAlgorithm(rawValue: text.lowercased()) else {
                throw .invalidSetting(key: "balance", value: text, expected: "roundrobin or leastconn")
            }
            self.algorithm = algorithm
        }
        if let text = section["sticky_sessions"] {
            guard let value = SettingValues.bool(text) else {
                throw .invalidSetting(key: "sticky_sessions", value: text, expected: SettingValues.boolForms)
            }
            stickySessions = value
        }
        if let text = section["sticky_method"] {
            guard let method = StickyMethod(rawValue: text.lowercased()) else {
                throw .invalidSetting(key: "sticky_method", value: text, expected: "hash or ip_hash")
            }
            stickyMethod = method
        }
        if let text = section["keepalive"] {
            guard let count = Int(text), (0...10_000).contains(count) else {
                throw .invalidSetting(key: "keepalive", value: text, expected: "a whole number from 0 to 10000")
            }
            keepalive = count
        }
        for key in ["ssl_certificate", "ssl_key"] {
            guard let text = section[key] else { continue }
            guard SettingValues.isPlainPath(text) else {
                throw .invalidSetting(
                    key: key, value: text, expected: "an absolute file path without quotes, '$', '\\' or spaces")
            }
            if key == "ssl_certificate" { sslCertificate = text } else { sslKey = text }
        }
        for key in ["connect_timeout", "read_timeout"] {
            guard let text = section[key] else { continue }
            guard let duration = SettingValues.seconds(text, within: 0.001...86_400) else {
                throw .invalidSetting(key: key, value: text, expected: "a number of seconds from 0.001 to 86400")
            }
            if key == "connect_timeout" { connectTimeout = duration } else { readTimeout = duration }
        }
    }
}
