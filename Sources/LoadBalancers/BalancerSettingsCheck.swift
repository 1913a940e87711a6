/// Checks an endpoint's `[loadbalancer:<driver>]` section the way the driver will read it, so
/// that a value out of form is refused when the configuration is written (the API) and an
/// endpoint with one is left out alone rather than stopping a balancer (the manager).
public enum BalancerSettingsCheck {
    /// What is wrong with `section` for `driver` serving `url`, or nil when nothing is (and for
    /// drivers this build does not have).
    ///
    /// - Parameters:
    ///   - url: the endpoint's URL when `driver` is its balancer; checked as the driver reads it.
    ///   - unknownKeys: whether a key the driver does not read is a problem (default false: the API
    ///     refuses one when the configuration is written; an endpoint stored earlier keeps being served).
    /// - Returns: the key at fault and a message such as `'lots': expected a whole number …`.
    public static func problem(
        driver: String, section: [String: String], url: String? = nil, unknownKeys: Bool = false
    ) -> (
        key: String, message: String
    )? {
        if unknownKeys, let known = knownKeys[driver],
            let unknown = section.keys.sorted().first(where: { !known.contains($0) })
        {
            return (unknown, "unknown key; known keys: \(known.sorted().joined(separator: ", "))")
        }
        if let url, let message = urlProblem(driver: driver, url: url) { return ("url", message) }
        switch driver {
        case "tcp":
            do { _ = try TCPSettings(section: section) } catch { return problem(error) }
        case "haproxy":
            let percent = section.sorted(by: { $0.key < $1.key }).first {
                ($0.key == "errorloc" ? HAProxySettings.errorLocation($0.value) : $0.value).contains("%")
            }
            if let (key, value) = percent {
                return (key, "'\(value)': \(haproxyPercent)")
            }
            do { _ = try HAProxySettings(section: section) } catch { return problem(error) }
        case "dnsmasq":
            do { _ = try DNSMasqSettings(section: section) } catch { return problem(error) }
        case "nginx":
            let nginx: NginxSettings
            do { nginx = try NginxSettings(section: section) } catch { return problem(error) }
            if let url, url.lowercased().hasPrefix("https://"), nginx.ssl == false {
                // The original served such a URL without TLS and spoke TLS to the instances.
                return (
                    "ssl",
                    "'\(section["ssl"] ?? "false")': an https:// URL is served with TLS (and plain HTTP to the instances); "
                        + "for plain HTTP write the URL as http://"
                )
            }
            if let url, NginxSettings.servesTLS(url: url, section: section) {
                // Neither: each host serves a self-signed certificate of its own; one alone is a mistake.
                let certificate = nginx.sslCertificate.flatMap { $0.isEmpty ? nil : $0 }
                let key = nginx.sslKey.flatMap { $0.isEmpty ? nil : $0 }
                if (certificate == nil) != (key == nil) {
                    return certificate == nil
                        ? ("ssl_certificate", "needed with ssl_key (or leave both out for a self-signed certificate)")
                        : ("ssl_key", "needed with ssl_certificate (or leave both out for a self-signed certificate)")
                }
            }
        default:
            break
        }
        return nil
    }

    /// What is wrong with an endpoint's `redirect` for the balancer `driver` that writes it, or
    /// nil (the form every balancer needs is checked with the endpoint section itself).
    public static func redirectProblem(driver: String, redirect: String) -> String? {
        driver == "haproxy" && redirect.contains("%") ? haproxyPercent : nil
    }

    static let haproxyPercent = "haproxy reads '%' as the start of a log-format expression; leave it out"

    /// Why `driver` would refuse to serve `url`, read by the driver's own parser (what the manager
    /// does with it), or nil when it serves it (and for drivers without a parser of their own).
    /// - Returns: e.g. `haproxy cannot serve 'http://a/path': …`.
    public static func urlProblem(driver: String, url: String) -> String? {
        let refusal: String?
        switch driver {
        case "tcp":
            do {
                _ = try TCPListenAddress(url: url)
                refusal = nil
            } catch { refusal = "\(error)" }
        case "haproxy":
            do {
                _ = try HAProxyListenURL(url: url)
                refusal = nil
            } catch { refusal = "\(error)" }
        case "nginx":
            do {
                _ = try NginxListenURL(url: url)
                refusal = nil
            } catch { refusal = "\(error)" }
        default:
            refusal = nil
        }
        return refusal.map { "\(driver) cannot serve '\(url)': \($0)" }
    }

    /// The keys each driver reads from its section; any other is a mistake (`balanse`).
    public static let knownKeys: [String: Set<String>] = [
        "tcp": ["balance", "hold_timeout", "idle_timeout", "max_connections"],
        "haproxy": [
            "balance", "check_interval", "check_url", "connect_timeout", "idle_timeout", "mode", "sticky_sessions",
            "sticky", "errorloc", "contimeout", "clitimeout", "srvtimeout",
        ],
        "nginx": [
            "balance", "connect_timeout", "keepalive", "read_timeout", "redirect", "ssl", "ssl_certificate", "ssl_key",
            "sticky_method", "sticky_sessions",
        ],
        "dnsmasq": ["ttl"],
    ]

    /// The key and message of a settings error (the settings' initialisers throw only `.invalidSetting`).
    private static func problem(_ error: some InvalidSettingError) -> (key: String, message: String) {
        guard let (key, value, expected) = error.invalidSetting else { return ("*", "\(error)") }
        return (key, "'\(value)': expected \(expected)")
    }
}
