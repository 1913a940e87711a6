/// The `[loadbalancer:haproxy]` section of an endpoint: how haproxy balances and checks its connections.
///
/// ```ini
/// [loadbalancer:haproxy]
/// balance = leastconn          ; roundrobin | leastconn | uri | source; default: the service's algorithm
/// sticky_sessions = true       ; same client address → same instance; default false
/// sticky = true                ; http: a cookie keeps a client on its instance; default false
/// mode = http                  ; tcp | http; default: the URL's scheme
/// check_url = /health          ; health check `GET <url>` on each instance; default none
///                              ; (the original's `httpchk [METHOD] /path [VERSION]` is read as its path)
/// check_interval = 2           ; seconds between health checks; default 2
/// connect_timeout = 2          ; seconds to connect to an instance; default 2
/// idle_timeout = 300           ; seconds a connection may stay idle; default 300
/// errorloc = https://example.com/busy   ; http: where a 503 (no live instance) is redirected
///                                      ; (the original's `%d` in it is the status code: 503)
/// ```
///
/// The original Reactor's names are read too: `contimeout` (milliseconds to connect, as
/// `connect_timeout`), `clitimeout` and `srvtimeout` (milliseconds a client or an instance may
/// stay idle; the larger is `idle_timeout`).
public struct HAProxySettings: Sendable, Hashable {
    /// How haproxy handles the traffic.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Bytes are spliced between client and instance.
        case tcp
        /// Requests are parsed; a service without live instances answers 503 (or 302 to its redirect).
        case http
    }

    /// haproxy's balancing of a backend.
    public enum Balance: String, Sendable, Hashable, CaseIterable {
        case roundrobin, leastconn
        /// A hash of the request's path (http): one path, one instance while the instances stay.
        case uri
        /// A hash of the client's address.
        case source
    }

    /// `balance` as roundrobin or leastconn; `nil` (default) uses the service's
    /// ``BalancedService/algorithm``.
    public var algorithm: BalancingAlgorithm? {
        switch balance {
        case .roundrobin: .roundRobin
        case .leastconn: .leastConnections
        case .uri, .source, nil: nil
        }
    }
    /// `balance`; `nil` (default) uses the service's algorithm.
    public var balance: Balance?
    /// `sticky`: a cookie (`SERVERID`) keeps an http client on its instance; default false.
    public var stickyCookie = false
    /// `errorloc`: an `http(s)://` URL a 503 is redirected to (http mode); default none.
    public var errorLocation: String?
    /// `sticky_sessions`; default `false`. Sticky sessions override `balance`.
    public var stickySessions: Bool
    /// `mode`; `nil` (default) follows the URL: `tcp://` → tcp, `http://` → http.
    public var mode: Mode?
    /// `check_url`; default `nil` (no health check: haproxy notices only failed connections).
    public var checkURL: String?
    /// `check_interval`; default 2 s.
    public var checkInterval: Duration
    /// `connect_timeout`; default 2 s.
    public var connectTimeout: Duration
    /// `idle_timeout`; default 300 s.
    public var idleTimeout: Duration

    /// - Parameters: each defaults as documented on its property.
    public init(
        algorithm: BalancingAlgorithm? = nil,
        stickySessions: Bool = false,
        mode: Mode? = nil,
        checkURL: String? = nil,
        checkInterval: Duration = .seconds(2),
        connectTimeout: Duration = .seconds(2),
        idleTimeout: Duration = .seconds(300)
    ) {
        self.balance = algorithm.map { $0 == .leastConnections ? .leastconn : .roundrobin }
        self.stickySessions = stickySessions
        self.mode = mode
        self.checkURL = checkURL
        self.checkInterval = checkInterval
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
    }

    /// Reads the section's keys; absent keys take their defaults and unknown keys are ignored.
    ///
    /// - Throws: ``HAProxyBalancerError/invalidSetting(key:value:expected:)`` naming the key and what it takes.
    public init(section: [String: String]) throws(HAProxyBalancerError) {
        self.init()
        let reader = SettingsReader<HAProxyBalancerError>(section: section)
        balance = try reader.choice("balance", expected: "roundrobin, leastconn, uri or source") ?? balance
        stickySessions = try reader.bool("sticky_sessions") ?? stickySessions
        stickyCookie = try reader.bool("sticky") ?? stickyCookie
        errorLocation =
            try reader.value("errorloc", expected: "an http:// or https:// URL without spaces, quotes or %") { value in
                let text = Self.errorLocation(value)
                let lower = text.lowercased()
                let plain =
                    (lower.hasPrefix("http://") || lower.hasPrefix("https://"))
                    && text.allSatisfy {
                        $0.isASCII && !$0.isWhitespace && !"\"'\\%".contains($0) && $0.asciiValue! >= 32
                    }
                return plain ? text : nil
            } ?? errorLocation
        // The original's millisecond timeouts, unless the new names say otherwise.
        if let contimeout = try reader.milliseconds("contimeout", within: 1...3_600_000) {
            connectTimeout = contimeout
        }
        let client = try reader.milliseconds("clitimeout", within: 1000...604_800_000)
        let server = try reader.milliseconds("srvtimeout", within: 1000...604_800_000)
        if let longest = [client, server].compactMap({ $0 }).max() { idleTimeout = longest }
        mode = try reader.choice("mode", expected: "tcp or http") ?? mode
        checkURL =
            try reader.value(
                "check_url", expected: "a path such as /health (no spaces, quotes or %), or httpchk [METHOD] /path"
            ) { text in
                // The original Reactor wrote its value after `option`: `httpchk GET /health HTTP/1.0`.
                let words = text.split(separator: " ")
                let path =
                    words.first == "httpchk" && (2...4).contains(words.count)
                    ? words.dropFirst().first { $0.hasPrefix("/") }.map(String.init) ?? "" : text
                let plain =
                    path.hasPrefix("/")
                    && path.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/-._~+,=:@?&".contains($0)) }
                return plain ? path : nil
            } ?? checkURL
        checkInterval = try reader.seconds("check_interval", within: 0.1...3600) ?? checkInterval
        connectTimeout = try reader.seconds("connect_timeout", within: 0.001...3600) ?? connectTimeout
        idleTimeout = try reader.seconds("idle_timeout", within: 1...86_400 * 7) ?? idleTimeout
    }

    /// `errorloc` as written, with the status code the original Reactor formatted into it
    /// (`http://example.com/errors/%d.html`) put in: here only a 503 is redirected.
    public static func errorLocation(_ value: String) -> String {
        ["%d", "%i", "%s"].reduce(value) { $0.replacing($1, with: "503") }
    }
}
