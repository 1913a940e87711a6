/// Why a balancer that runs a program of its own (nginx, haproxy) could not apply a configuration.
///
/// One type per program (``NginxBalancerError``, ``HAProxyBalancerError``), told apart by `Program`,
/// which also names the program and the URLs it serves in messages.
public enum ProgramBalancerError<Program: BalancerProgram>: Error, Hashable, CustomStringConvertible {
    /// The URL is not one the program serves (or uses characters a configuration cannot carry).
    case invalidURL(String)
    /// A `[loadbalancer:<program>]` key has a value out of form, or a needed key is missing.
    case invalidSetting(key: String, value: String, expected: String)
    /// Two services cannot be served together (e.g. the same address twice).
    case conflict(String)
    /// The program's check (`nginx -t`, `haproxy -c`) rejected the rendered configuration; the
    /// previous one keeps serving.
    case rejected(message: String)
    /// The program is not installed (not on PATH nor in /usr/sbin).
    case notInstalled
    /// The program could not be started, did not answer, or a reload did not take.
    case failed(String)

    public var description: String {
        let words = DriverErrorWording(driver: Program.name, serves: Program.serves)
        return switch self {
        case .invalidURL(let url): words.invalidURL(url)
        case .invalidSetting(let key, let value, let expected):
            words.invalidSetting(key: key, value: value, expected: expected)
        case .conflict(let reason): words.problem(reason)
        case .rejected(let message): words.rejected(message)
        case .notInstalled: words.notInstalled
        case .failed(let reason): words.problem(reason)
        }
    }
}

extension ProgramBalancerError: ProgramDriverError, InvalidSettingError {
    var invalidSetting: (key: String, value: String, expected: String)? {
        if case .invalidSetting(let key, let value, let expected) = self { (key, value, expected) } else { nil }
    }
}

/// A program a balancer driver runs, as its errors name it.
public protocol BalancerProgram: Sendable, Hashable {
    /// The driver's and program's name: `nginx`, `haproxy`.
    static var name: String { get }
    /// The URL forms it serves, for messages.
    static var serves: String { get }
}

/// nginx, for ``NginxBalancerError``.
public enum NginxProgram: BalancerProgram {
    public static let name = "nginx"
    public static let serves = "http[s]://host[:port][/path]"
}

/// haproxy, for ``HAProxyBalancerError``.
public enum HAProxyProgram: BalancerProgram {
    public static let name = "haproxy"
    public static let serves = "tcp://[host:]port and http://host[:port]"
}

/// Why the `nginx` balancer could not apply a configuration.
public typealias NginxBalancerError = ProgramBalancerError<NginxProgram>

/// Why the `haproxy` balancer could not apply a configuration.
public typealias HAProxyBalancerError = ProgramBalancerError<HAProxyProgram>
