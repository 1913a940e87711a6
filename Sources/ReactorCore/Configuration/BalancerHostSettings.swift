/// `[loadbalancer:<driver>]` in a manager's configuration: how this host runs the driver (the
/// endpoint's section of the same name says how the driver serves that endpoint).
///
/// | driver    | keys                                                      |
/// |-----------|-----------------------------------------------------------|
/// | `tcp`     | `threads` (1–64), `connect_timeout` (seconds, 0.1–60)      |
/// | `nginx`   | `executable` (absolute path), `user` (the workers' user)  |
/// | `haproxy` | `executable`                                              |
/// | `dnsmasq` | `executable`, `listen` (an IP), `port` (1–65535)          |
///
/// A key not set keeps the driver's default (for `dnsmasq`, the manager's `--dns-listen` and
/// `--dns-port`).
public struct BalancerHostSettings: Sendable, Hashable {
    /// The keys each driver reads.
    public static let keys: [String: [String]] = [
        "tcp": ["threads", "connect_timeout"],
        "nginx": ["executable", "user"],
        "haproxy": ["executable"],
        "dnsmasq": ["executable", "listen", "port"],
    ]

    /// The original Reactor's keys of these sections that this build does not read, each with
    /// what replaces it: refused with that message rather than as an unknown key.
    public static let originalKeys: [String: [String: String]] = {
        let own = { (program: String, keys: String) in
            "the original Reactor's; each manager here runs \(program) of its own, with its files in the "
                + "manager's state directory: leave it out (\(keys))"
        }
        let nginx = own("an nginx master", "`executable` and `user` choose the program and the workers' user")
        let haproxy = own("a haproxy", "`executable` chooses the program")
        let dnsmasq = own("a dnsmasq", "`listen` and `port` choose where it answers")
        let written = "the original Reactor's; the manager writes haproxy's whole configuration here: leave it out"
        return [
            "nginx": ["pid_file": nginx, "config_path": nginx, "site_path": nginx],
            "haproxy": [
                "config_file": haproxy, "pid_file": haproxy, "stats_path": haproxy, "stats_mode": haproxy,
                "global_opts": written, "maxconn": written,
                "clitimeout":
                    "the original Reactor's; set per endpoint here: clitimeout (milliseconds) or idle_timeout "
                    + "(seconds) in the endpoint's [loadbalancer:haproxy]",
            ],
            "dnsmasq": ["config_path": dnsmasq, "hosts_path": dnsmasq, "pid_file": dnsmasq],
        ]
    }()

    public var executable: String?
    public var user: String?
    public var threads: Int?
    /// Seconds.
    public var connectTimeout: Double?
    public var listen: String?
    public var port: Int?

    public init() {}

    /// - Throws: ``ConfigErrors`` with one message per bad key (under `loadbalancer:<driver>`).
    public init(driver: String, _ values: [String: String]) throws(ConfigErrors) {
        let section = KnownDrivers.loadBalancerSectionPrefix + driver
        var errors = ConfigErrors()
        let reader = SectionReader(section, values: values)
        let original = Self.originalKeys[driver] ?? [:]
        SectionReader(section, values: values.filter { original[$0.key] == nil })
            .rejectUnknownKeys(Self.keys[driver] ?? [], into: &errors)
        for (key, message) in original.sorted(by: { $0.key < $1.key }) where values[key] != nil {
            errors.add(message, section: section, key: key)
        }
        if let path = reader.string("executable") {
            if Self.isExecutablePath(path) {
                executable = path
            } else {
                errors.add(
                    "'\(path)' is not an absolute path to a program (no spaces or control characters)",
                    section: section, key: "executable")
            }
        }
        if let name = reader.string("user") {
            if Self.isUserName(name) {
                user = name
            } else {
                errors.add("'\(name)' is not a user name like www-data", section: section, key: "user")
            }
        }
        threads = reader.integer("threads", in: 1...64, errors: &errors)
        if let seconds = reader.number("connect_timeout", minimum: 0.1, errors: &errors) {
            if seconds <= 60 {
                connectTimeout = seconds
            } else {
                errors.add("must be at most 60 seconds, got \(seconds)", section: section, key: "connect_timeout")
            }
        }
        if let text = reader.string("listen") {
            if let address = IPAddress(text) {
                listen = address.description
            } else {
                errors.add("'\(text)' is not an IP address", section: section, key: "listen")
            }
        }
        port = reader.integer("port", in: 1...65535, errors: &errors)
        guard errors.isEmpty else { throw errors }
    }

    static func isExecutablePath(_ path: String) -> Bool {
        path.hasPrefix("/") && path.utf8.count <= 4096
            && path.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && $0 != ";" && $0 != "\"" }
    }

    static func isUserName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.count <= 32, first == "_" || ("a"..."z").contains(first)
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0 == "_" || $0 == "-" || ("a"..."z").contains($0) || ("0"..."9").contains($0)
        }
    }
}
