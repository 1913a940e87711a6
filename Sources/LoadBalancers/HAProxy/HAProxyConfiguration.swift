/// The `haproxy.cfg` of an ``HAProxyBalancer``: a frontend and a backend per service, named after the
/// service's address (`svc_127.0.0.1_8080`), servers named after their backend (`127.0.0.1_8000`), so that
/// stats and sessions of every worker, old or new, map back to `ip:port`.
///
/// ```
/// frontend svc_127.0.0.1_8080
///     mode tcp
///     bind 127.0.0.1:8080
///     default_backend svc_127.0.0.1_8080
/// backend svc_127.0.0.1_8080
///     mode tcp
///     balance roundrobin
///     server 127.0.1.1_8000 127.0.1.1:8000 weight 2
/// ```
struct HAProxyConfiguration: Sendable {
    /// The working directory: the stats socket and the configuration.
    var directory: String

    var statsSocketPath: String { directory + "/haproxy.sock" }

    /// The server name of a backend.
    static func serverName(_ backend: Backend) -> String { "\(backend.ip)_\(backend.port)" }

    /// The `ip:port` of a server name, the inverse of ``serverName(_:)``.
    static func address(ofServer name: Substring) -> String? {
        guard let underscore = name.lastIndex(of: "_") else { return nil }
        let ip = name[..<underscore]
        let port = name[name.index(after: underscore)...]
        return ip.isEmpty || Int(port) == nil ? nil : "\(ip):\(port)"
    }

    /// The text, and each service's proxy name.
    func render(_ services: [BalancedService]) throws(HAProxyBalancerError) -> (text: String, proxies: [String: String])
    {
        var text = """
            # Written by Reactor's haproxy balancer; replaced on every change.
            global
                stats socket \(statsSocketPath) mode 600 level admin expose-fd listeners
                stats timeout 1m

            defaults
                log global
                retries 2
                option redispatch

            """
        var proxies: [String: String] = [:]
        var binds: Set<String> = []
        for service in services.sorted(by: { $0.url < $1.url }) {
            let url = try HAProxyListenURL(url: service.url)
            let settings = try HAProxySettings(section: service.settings)
            let mode = settings.mode ?? url.mode
            let name = url.proxyName
            guard binds.insert(url.bind).inserted, !proxies.values.contains(name) else {
                throw .conflict("two services listen on \(url.bind)")
            }
            proxies[service.url] = name
            let connect = SettingValues.milliseconds(settings.connectTimeout)
            let idle = SettingValues.milliseconds(settings.idleTimeout)
            text += "\n# \(service.url)\nfrontend \(name)\n    mode \(mode.rawValue)\n    bind \(url.bind)\n"
            text += "    timeout client \(idle)\n"
            if mode == .http { text += "    option forwardfor\n    timeout http-request 10s\n" }
            text += "    default_backend \(name)\n"

            text += "\nbackend \(name)\n    mode \(mode.rawValue)\n"
            text += "    timeout connect \(connect)\n    timeout server \(idle)\n    timeout queue \(connect)\n"
            let algorithm = settings.algorithm ?? service.algorithm
            if settings.stickyCookie && mode == .http {
                // A cookie names the instance; a client without one is balanced as below.
                text += "    cookie SERVERID insert indirect nocache\n"
            }
            if settings.stickySessions {
                // The hash keeps a client's instance across reloads (which start an empty stick table);
                // the table keeps it while instances come and go.
                text += "    balance source\n    hash-type consistent\n"
                text += "    stick-table type ip size 200k expire 30m\n    stick on src\n"
            } else if let balance = settings.balance, balance == .uri || balance == .source {
                text += "    balance \(balance.rawValue)\n    hash-type consistent\n"
            } else {
                text += "    balance \(algorithm == .leastConnections ? "leastconn" : "roundrobin")\n"
            }
            if let location = settings.errorLocation, mode == .http {
                text += "    errorloc 503 \(location)\n"
            }
            if let checkURL = settings.checkURL {
                text += "    option httpchk GET \(checkURL)\n"
            }
            let weights = IntegerWeights.scale(service.backends.map(\.weight), maximum: 256)
            if weights.allSatisfy({ $0 == 0 }), mode == .http, let redirect = service.redirect {
                // `http-request redirect location` takes a log-format string: '%' starts an expression.
                guard redirect.allSatisfy({ $0.isASCII && !$0.isWhitespace && !"\"'\\%".contains($0) }) else {
                    throw .invalidSetting(
                        key: "redirect", value: redirect, expected: "a URL without quotes, spaces or '%'")
                }
                text += "    http-request redirect location \(redirect) code 302\n"
            }
            var names: Set<String> = []
            for (backend, weight) in zip(service.backends, weights) {
                guard IPLiteral.isAddress(backend.ip), (1...65535).contains(backend.port),
                    names.insert(Self.serverName(backend)).inserted
                else { throw .conflict("backend '\(backend.address)' of \(service.url) is not a distinct ip:port") }
                let address = backend.ip.contains(":") ? "[\(backend.ip)]:\(backend.port)" : backend.address
                let check =
                    settings.checkURL == nil ? "" : " check inter \(SettingValues.milliseconds(settings.checkInterval))"
                let cookie = settings.stickyCookie && mode == .http ? " cookie \(Self.serverName(backend))" : ""
                text += "    server \(Self.serverName(backend)) \(address) weight \(weight)\(check)\(cookie)\n"
            }
        }
        return (text, proxies)
    }
}
