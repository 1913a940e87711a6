/// Why the `tcp` balancer could not apply a configuration.
public enum TCPBalancerError: Error, Hashable, CustomStringConvertible {
    /// The URL is not `tcp://[host:]port`.
    case invalidURL(String)
    /// The balancer could not listen on the URL (e.g. the port is taken without SO_REUSEPORT).
    case cannotListen(url: String, reason: String)
    /// A `[loadbalancer:tcp]` key has a value out of form.
    case invalidSetting(key: String, value: String, expected: String)

    public var description: String {
        let words = DriverErrorWording(driver: "tcp", serves: "tcp://[host:]port")
        return switch self {
        case .invalidURL(let url): words.invalidURL(url)
        case .cannotListen(let url, let reason): "loadbalancer tcp cannot listen on '\(url)': \(reason)"
        case .invalidSetting(let key, let value, let expected):
            words.invalidSetting(key: key, value: value, expected: expected)
        }
    }
}

extension TCPBalancerError: InvalidSettingError {
    var invalidSetting: (key: String, value: String, expected: String)? {
        if case .invalidSetting(let key, let value, let expected) = self { (key, value, expected) } else { nil }
    }
}
