/// Why the `dnsmasq` balancer could not apply a configuration.
public enum DNSMasqBalancerError: Error, Hashable, CustomStringConvertible {
    /// The URL is not `dns://name` with `name` a valid host name.
    case invalidURL(String)
    /// A backend's IP is not an IPv4 or IPv6 address, so it cannot be an address record.
    case invalidBackend(url: String, ip: String)
    /// A `[loadbalancer:dnsmasq]` key has a value out of form.
    case invalidSetting(key: String, value: String, expected: String)
    /// dnsmasq is not installed (no `dnsmasq` on PATH or in /usr/sbin).
    case notInstalled
    /// dnsmasq could not be started, or exited.
    case failed(String)

    public var description: String {
        switch self {
        case .invalidURL(let url):
            "loadbalancer dnsmasq serves dns://name; cannot serve '\(url)'"
        case .invalidBackend(let url, let ip):
            "loadbalancer dnsmasq: backend '\(ip)' of \(url) is not an IP address"
        case .invalidSetting(let key, let value, let expected):
            "[loadbalancer:dnsmasq] \(key) = '\(value)': expected \(expected)"
        case .notInstalled:
            "loadbalancer dnsmasq: dnsmasq is not installed (no dnsmasq on PATH or in /usr/sbin; Debian: dnsmasq-base)"
        case .failed(let reason):
            "loadbalancer dnsmasq: \(reason)"
        }
    }
}

extension DNSMasqBalancerError: InvalidSettingError {
    var invalidSetting: (key: String, value: String, expected: String)? {
        if case .invalidSetting(let key, let value, let expected) = self { (key, value, expected) } else { nil }
    }
}
