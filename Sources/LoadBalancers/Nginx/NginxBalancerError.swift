/// Why the `nginx` balancer could not apply a configuration.
public enum NginxBalancerError: Error, Hashable, CustomStringConvertible {
    /// The URL is not `http[s]://host[:port][/path]` (or uses characters a configuration cannot carry).
    case invalidURL(String)
    /// A `[loadbalancer:nginx]` key has a value out of form, or a needed key is missing.
    case invalidSetting(key: String, value: String, expected: String)
    /// Two services cannot be served together (e.g. http and https on one address).
    case conflict(String)
    /// `nginx -t` rejected the rendered configuration; the previous one keeps serving.
    case rejected(message: String)
    /// nginx is not installed (no `nginx` on PATH or in /usr/sbin).
    case notInstalled
    /// The nginx master could not be started, or a reload did not take.
    case failed(String)

    public var description: String {
        let words = DriverErrorWording(driver: "nginx", serves: "http[s]://host[:port][/path]")
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

extension NginxBalancerError: ProgramDriverError, InvalidSettingError {
    var invalidSetting: (key: String, value: String, expected: String)? {
        if case .invalidSetting(let key, let value, let expected) = self { (key, value, expected) } else { nil }
    }
}
