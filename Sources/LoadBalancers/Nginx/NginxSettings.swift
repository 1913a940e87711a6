/// The `[loadbalancer:nginx]` section of an endpoint: how nginx balances and proxies its requests.
///
/// ```ini
/// [loadbalancer:nginx]
/// balance = leastconn               ; roundrobin | leastconn; default: the service's algorithm
/// sticky_sessions = true            ; same client address → same instance; default false
/// sticky_method = hash              ; hash ($remote_addr, consistent) | ip_hash; default hash
/// keepalive = 16                    ; idle keep-alive connections to instances per worker; 0 = none; default 16
/// ssl = true                        ; serve TLS on an http:// URL too (the original's key); default: the URL's scheme
/// ssl_certificate = /etc/ssl/web.pem  ; TLS: a file, or the PEM text itself; neither: self-signed
/// ssl_key = /etc/ssl/web.key          ; TLS: a file, or the PEM text itself
/// redirect = https://example.com/busy ; where clients go (302) while no instance is live; the endpoint's `redirect` wins
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
    /// Whether nginx serves TLS for `url` with `section`: an `https://` URL, or `ssl = true` (the
    /// original Reactor's key, which turned TLS on whatever the scheme). An `ssl` out of form
    /// counts as not set; ``init(section:)`` refuses it.
    public static func servesTLS(url: String, section: [String: String]) -> Bool {
        url.lowercased().hasPrefix("https://") || section["ssl"].flatMap(SettingValues.bool) == true
    }

    /// `ssl`; `nil` (default) follows the URL's scheme. `true` serves TLS on an `http://` URL's
    /// port as well; `false` with an `https://` URL is refused (see ``BalancerSettingsCheck``).
    public var ssl: Bool?
    /// `redirect`: an `http(s)://` URL clients are sent to (302) while no instance is live, for
    /// an endpoint without a `redirect` of its own; default `nil`.
    public var redirect: String?
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
        ssl = try reader.bool("ssl")
        redirect = try reader.value(
            "redirect", expected: "an http:// or https:// URL without spaces, quotes, '\\' or '$'"
        ) { text in
            let lower = text.lowercased()
            return (lower.hasPrefix("http://") || lower.hasPrefix("https://")) && Self.isQuotable(text) ? text : nil
        }
        connectTimeout = try reader.seconds("connect_timeout", within: 0.001...86_400) ?? connectTimeout
        readTimeout = try reader.seconds("read_timeout", within: 0.001...86_400) ?? readTimeout
    }

    /// Text nginx can carry in double quotes as it is: printable ASCII without spaces, quotes,
    /// `\` or `$`.
    static func isQuotable(_ text: String) -> Bool {
        !text.isEmpty
            && text.allSatisfy { $0.isASCII && !$0.isWhitespace && !"\"\\$".contains($0) && ($0.asciiValue ?? 0) >= 32 }
    }
}
