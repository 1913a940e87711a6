/// Why the `haproxy` balancer could not apply a configuration.
public enum HAProxyBalancerError: Error, Hashable, CustomStringConvertible {
    /// The URL is not `tcp://[host:]port` or `http://host[:port]`.
    case invalidURL(String)
    /// A `[loadbalancer:haproxy]` key has a value out of form.
    case invalidSetting(key: String, value: String, expected: String)
    /// Two services cannot be served together (e.g. the same address twice).
    case conflict(String)
    /// `haproxy -c` rejected the rendered configuration; the previous one keeps serving.
    case rejected(message: String)
    /// haproxy is not installed (no `haproxy` on PATH or in /usr/sbin).
    case notInstalled
    /// haproxy could not be started, did not answer on its socket, or a reload did not take.
    case failed(String)

    public var description: String {
        let words = DriverErrorWording(driver: "haproxy", serves: "tcp://[host:]port and http://host[:port]")
        return switch self {
        case .invalidURL(let url): words.invalidURL(url)
        case .invalidSetting(let key, let value, let expected): words.invalidSetting(key: key, value: value, expected: expected)
        case .conflict(let reason): words.problem(reason)
        case .rejected(let message): words.rejected(message)
        case .notInstalled: words.notInstalled
        case .failed(let reason): words.problem(reason)
        }
    }
}

extension HAProxyBalancerError: ProgramDriverError, InvalidSettingError {
    var invalidSetting: (key: String, value: String, expected: String)? {
        if case .invalidSetting(let key, let value, let expected) = self { (key, value, expected) } else { nil }
    }
}
