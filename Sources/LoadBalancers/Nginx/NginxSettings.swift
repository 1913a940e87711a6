/// The `[loadbalancer:nginx]` section of an endpoint: how nginx balances and proxies its requests.
///
/// ```ini
/// [loadbalancer:nginx]
/// balance = leastconn               ; roundrobin | leastconn; default: the service's algorithm
/// sticky_sessions = true            ; same client address → same instance; default false
/// sticky_method = hash              ; hash ($remote_addr, consistent) | ip_hash; default hash
/// keepalive = 16                    ; idle keep-alive connections to instances per worker; 0 = none; default 16
/// ssl_certificate = /etc/ssl/web.pem  ; https://: a file, or the PEM text itself; neither: self-signed
/// ssl_key = /etc/ssl/web.key          ; https://: a file, or the PEM text itself
/// connect_timeout = 2               ; seconds to connect to an instance before trying the next; default 2
/// read_timeout = 60                 ; seconds an instance may stay silent mid-response; default 60
/// ```
public struct NginxSettings: Sendable, Hashable {
    /// Whether `text` is PEM text (a certificate or key given inline): `-----BEGIN …-----` to
    /// `-----END …-----`, printable ASCII and line breaks, at most 64 KiB.
    public static func isPEM(_ text: String) -> Bool {
        let body = String(String(text.drop { $0.isWhitespace }.reversed()).drop { $0.isWhitespace }.reversed())
        return body.hasPrefix("-----BEGIN ") && body.hasSuffix("-----") && body.contains("-----END ")
            && text.utf8.count <= 65_536
            && text.utf8.allSatisfy { (32...126).contains($0) || $0 == 10 || $0 == 13 }
    }

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
        let reader = SettingsReader<NginxBalancerError>(section: section)
        algorithm = try reader.algorithm() ?? algorithm
        stickySessions = try reader.bool("sticky_sessions") ?? stickySessions
        stickyMethod = try reader.choice("sticky_method", expected: "hash or ip_hash") ?? stickyMethod
        keepalive =
            try reader.value("keepalive", expected: "a whole number from 0 to 10000") { text in
                Int(text).flatMap { (0...10_000).contains($0) ? $0 : nil }
            } ?? keepalive
        let path = "an absolute file path without quotes, '$', '\\' or spaces, or PEM text (-----BEGIN …)"
        sslCertificate =
            try reader.value("ssl_certificate", expected: path) {
                SettingValues.isPlainPath($0) || Self.isPEM($0) ? $0 : nil
            } ?? sslCertificate
        sslKey =
            try reader.value("ssl_key", expected: path) { SettingValues.isPlainPath($0) || Self.isPEM($0) ? $0 : nil }
            ?? sslKey
        connectTimeout = try reader.seconds("connect_timeout", within: 0.001...86_400) ?? connectTimeout
        readTimeout = try reader.seconds("read_timeout", within: 0.001...86_400) ?? readTimeout
    }
}
