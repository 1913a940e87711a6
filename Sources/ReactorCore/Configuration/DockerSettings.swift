import Foundation

/// `[cloud:docker]` in an endpoint's configuration: how its containers are made.
///
/// Every key is checked here, once, for the API (a per-field 400) and for the cloud (which
/// refuses what the API would refuse, with the same message).
public struct DockerSettings: Sendable, Hashable {
    public static let section = "cloud:docker"
    public static let keys = [
        "image", "command", "user", "environment", "mem_limit", "dns", "hostname", "slots", "network", "pull",
    ]

    /// How an image reaches the engine.
    public enum PullPolicy: String, Sendable, Hashable, CaseIterable {
        /// Pull only when the engine does not have it (the default).
        case missing
        /// Pull before every launch.
        case always
        /// Never pull: an image the engine lacks is an error.
        case never
    }

    /// `network`: `host` (the container shares the host's network and binds an address from the
    /// manager's pool), `bridge` (the default) or a named network; for the last two the
    /// endpoint's port is published on the host.
    public enum Network: Sendable, Hashable {
        case host
        case bridge
        case named(String)

        /// The engine's `NetworkMode`.
        public var mode: String {
            switch self {
            case .host: "host"
            case .bridge: "bridge"
            case .named(let name): name
            }
        }

        /// Whether the engine publishes the endpoint's port on the host (every mode but `host`).
        public var publishes: Bool { self != .host }
    }

    public var image: String
    /// Run by the image's shell (`/bin/sh -c`), `${REACTOR_INSTANCE_IP}` and `${REACTOR_PORT}`
    /// expanded; nil runs the image's own command.
    public var command: String?
    public var user: String?
    public var environment: [String: String] = [:]
    /// Bytes; nil (`mem_limit` unset or `0`) for no limit.
    public var memoryLimit: Int64?
    public var dns: [String] = []
    public var hostname: String?
    /// Slots one container takes on its host (0 to 1000000); default 10.
    public var slots = 10
    public var network = Network.bridge
    public var pull = PullPolicy.missing

    /// Reads and checks a section.
    ///
    /// - Throws: ``ConfigErrors`` with one message per bad key (under `cloud:docker`).
    public init(_ values: [String: String]) throws(ConfigErrors) {
        var errors = ConfigErrors()
        let reader = SectionReader(Self.section, values: values)
        reader.rejectUnknownKeys(Self.keys, into: &errors)
        image = reader.string("image") ?? ""
        if image.isEmpty {
            errors.add(
                "an image is required, like busybox:1.36 or registry.example:5000/team/app", section: Self.section,
                key: "image")
        } else if let problem = ImageReference.problem(image) {
            errors.add(problem, section: Self.section, key: "image")
        }
        command = reader.string("command")
        if let user = reader.string("user") {
            if Self.isUser(user) {
                self.user = user
            } else {
                errors.add(
                    "'\(user)' is not a user: expected name, uid, name:group or uid:gid", section: Self.section,
                    key: "user")
            }
        }
        if let text = reader.string("environment") {
            do {
                environment = try ProcessEnvironment.parse(text)
            } catch {
                errors.add(error.description, section: Self.section, key: "environment")
            }
        }
        // `0` is the original Reactor's "no limit" (its default).
        if let text = reader.string("mem_limit"), text != "0" {
            switch ByteSize.parse(text) {
            case .some(let bytes) where bytes >= 6 << 20: memoryLimit = bytes
            case .some:
                errors.add("'\(text)' is below the engine's minimum of 6m", section: Self.section, key: "mem_limit")
            case .none:
                errors.add(
                    "'\(text)' is not a size: a positive whole number with an optional b, k, m or g",
                    section: Self.section, key: "mem_limit")
            }
        }
        if let list = reader.list("dns") {
            for entry in list where !IPAddress.isValid(entry) {
                errors.add("'\(entry)' is not an IP address", section: Self.section, key: "dns")
            }
            dns = list
        }
        if let name = reader.string("hostname") {
            if HostName.isValid(name) {
                hostname = name
            } else {
                errors.add(
                    "'\(name)' is not a host name (letters, digits and '-', dot-separated labels of at most 63)",
                    section: Self.section, key: "hostname")
            }
        }
        // `0`, as the original allowed: the container takes no slot (its host's slots do not bound it).
        slots = reader.integer("slots", in: 0...1_000_000, errors: &errors) ?? slots
        if let text = reader.string("network") {
            switch text {
            case "host": network = .host
            case "bridge": network = .bridge
            default:
                if Self.isNetworkName(text) {
                    network = .named(text)
                } else {
                    errors.add(
                        "unknown network mode '\(text)'; expected host, bridge or the name of a network",
                        section: Self.section, key: "network")
                }
            }
        }
        if let text = reader.string("pull") {
            if let policy = PullPolicy(rawValue: text) {
                pull = policy
            } else {
                errors.add(
                    "'\(text)' is not a pull policy; expected missing, always or never", section: Self.section,
                    key: "pull")
            }
        }
        guard errors.isEmpty else { throw errors }
    }

    /// All problems with a section; empty when it is valid.
    public static func problems(_ values: [String: String]) -> ConfigErrors {
        do {
            _ = try DockerSettings(values)
            return ConfigErrors()
        } catch {
            return error
        }
    }

    /// `command` with `${REACTOR_INSTANCE_IP}` and `${REACTOR_PORT}` put in.
    public func expandedCommand(instanceIP: String, port: Int?) -> String? {
        command.map {
            $0.replacingOccurrences(of: "${REACTOR_INSTANCE_IP}", with: instanceIP)
                .replacingOccurrences(of: "${REACTOR_PORT}", with: port.map(String.init) ?? "")
        }
    }

    static func isUser(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return false }
        return parts.allSatisfy { part in
            guard let first = part.unicodeScalars.first, part.count <= 32 else { return false }
            let isDigits = part.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
            let isName =
                (first == "_" || ("a"..."z").contains(first))
                && part.unicodeScalars.allSatisfy {
                    $0 == "_" || $0 == "-" || $0 == "." || ("a"..."z").contains($0) || ("0"..."9").contains($0)
                }
            return isDigits || isName
        }
    }

    /// A network's name as the engine accepts it.
    static func isNetworkName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.count <= 64, first.isASCIIAlphanumeric,
            text != "none", !text.hasPrefix("container")
        else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "_" || $0 == "." || $0 == "-" }
    }
}

/// `[cloud:docker]` in a manager's configuration: this host's engine and capacity.
public struct DockerHostSettings: Sendable, Hashable {
    public static let keys = ["socket", "slots", "addresses", "publish_address", "ports"]

    /// The engine's unix socket; default `/var/run/docker.sock`.
    public var socket = "/var/run/docker.sock"
    /// Slots this host offers; default 1000.
    public var slots = 1000
    /// The pool containers take their addresses from (bound by the application with
    /// `network = host`, where the engine publishes the port otherwise); default `127.0.2.0/24`
    /// (loopback: a one-host installation; a cluster gives each host a block routed to it).
    public var addresses = "127.0.2.0/24"
    /// The address the engine publishes containers' ports on (bridge and named networks), where
    /// the balancers of every host reach them; default nil: the host's first address other than
    /// loopback (127.0.0.1 when it has none).
    public var publishAddress: String?
    /// The host ports published ports are taken from, one a container; default 20000-29999.
    public var ports: ClosedRange<Int> = 20000...29999

    public init() {}

    /// - Throws: ``ConfigErrors`` with one message per bad key (under `cloud:docker`).
    public init(_ values: [String: String]) throws(ConfigErrors) {
        var errors = ConfigErrors()
        let reader = SectionReader(DockerSettings.section, values: values)
        reader.rejectUnknownKeys(Self.keys, into: &errors)
        if let path = reader.string("socket") {
            if path.hasPrefix("/"), !path.contains("\0"), path.utf8.count < 108 {
                socket = path
            } else {
                errors.add(
                    "'\(path)' is not an absolute path to a unix socket (at most 107 bytes)",
                    section: DockerSettings.section, key: "socket")
            }
        }
        slots = reader.integer("slots", in: 0...1_000_000, errors: &errors) ?? slots
        if let block = reader.string("addresses") {
            if Self.isAddressPool(block) {
                addresses = block
            } else {
                errors.add(
                    "'\(block)' is not an IPv4 block like 10.0.5.0/24 (prefix 8 to 30)",
                    section: DockerSettings.section, key: "addresses")
            }
        }
        if let text = reader.string("publish_address") {
            if let address = IPAddress(text), !Self.isUnspecified(address) {
                publishAddress = address.description
            } else {
                errors.add(
                    "'\(text)' is not an IP address of this host (like 10.0.0.5)", section: DockerSettings.section,
                    key: "publish_address")
            }
        }
        if let text = reader.string("ports") {
            if let range = Self.portRange(text) {
                ports = range
            } else {
                errors.add(
                    "'\(text)' is not a port range like 20000-29999 (1024 to 65535)", section: DockerSettings.section,
                    key: "ports")
            }
        }
        guard errors.isEmpty else { throw errors }
    }

    /// `ports` as the host record publishes it.
    public var portsText: String { "\(ports.lowerBound)-\(ports.upperBound)" }

    /// `first-last` with 1024 ≤ first ≤ last ≤ 65535.
    public static func portRange(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
            parts.allSatisfy({ (1...5).contains($0.count) && $0.allSatisfy(\.isASCIIDigit) }),
            let first = Int(parts[0]), let last = Int(parts[1]), 1024 <= first, first <= last, last <= 65535
        else { return nil }
        return first...last
    }

    static func isUnspecified(_ address: IPAddress) -> Bool {
        address == .v4(0, 0, 0, 0) || address == .v6(Array(repeating: 0, count: 8))
    }
}

extension DockerHostSettings {
    /// Whether `block` is an IPv4 CIDR block a cloud can lease addresses from.
    public static func isAddressPool(_ block: String) -> Bool {
        guard block.contains("/"), let parsed = IPBlock(block) else { return false }
        return parsed.network.isIPv4 && (8...30).contains(parsed.prefixLength)
    }
}

/// A size as `mem_limit` takes it: bytes, or a number with `b`, `k`, `m` or `g` (powers of 1024).
enum ByteSize {
    static func parse(_ text: String) -> Int64? {
        let lower = text.lowercased()
        let units: [Character: Int64] = ["b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
        var digits = Substring(lower)
        var unit: Int64 = 1
        if let last = lower.last, let scale = units[last] {
            unit = scale
            digits = lower.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let value = Int64(digits), value > 0,
            value <= Int64.max / unit
        else { return nil }
        return value * unit
    }
}

/// Docker's image reference grammar: `[host[:port]/]path[:tag][@algorithm:hex]`.
enum ImageReference {
    /// Why `text` cannot be an image reference; nil when it can.
    static func problem(_ text: String) -> String? {
        let bad =
            "'\(text.prefix(100))' is not an image reference (like busybox:1.36 or registry.example:5000/team/app@sha256:…)"
        guard text.utf8.count <= 512 else { return bad }
        var rest = Substring(text)
        if let at = rest.firstIndex(of: "@") {
            let digest = rest[rest.index(after: at)...]
            let parts = digest.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty,
                parts[0].allSatisfy({ $0.isLowercaseASCIIAlphanumeric || "+._-".contains($0) }),
                parts[1].count >= 32, parts[1].allSatisfy(\.isHexDigit)
            else { return bad }
            rest = rest[..<at]
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard let last = components.last else { return bad }
        // A tag is after the last component's colon (a registry's port is in the first component).
        let lastParts = last.split(separator: ":", omittingEmptySubsequences: false)
        guard lastParts.count <= 2 else { return bad }
        if lastParts.count == 2 {
            let tag = lastParts[1]
            guard let first = tag.first, tag.count <= 128, first.isASCIIAlphanumeric || first == "_",
                tag.allSatisfy({ $0.isASCIIAlphanumeric || "_.-".contains($0) })
            else { return bad }
        }
        components[components.count - 1] = lastParts[0]
        if components.count > 1, let host = components.first,
            host.contains(where: { ".:".contains($0) }) || host == "localhost"
        {
            let hostParts = host.split(separator: ":", omittingEmptySubsequences: false)
            guard hostParts.count <= 2, !hostParts[0].isEmpty,
                hostParts[0].allSatisfy({ $0.isASCIIAlphanumeric || ".-".contains($0) }),
                hostParts.count == 1
                    || (hostParts[1].count <= 5 && !hostParts[1].isEmpty && hostParts[1].allSatisfy(\.isASCIIDigit))
            else { return bad }
            components.removeFirst()
        }
        for component in components {
            // [a-z0-9]+ joined by '.', '_', '__' or runs of '-'.
            guard let first = component.first, let end = component.last, first.isLowercaseASCIIAlphanumeric,
                end.isLowercaseASCIIAlphanumeric,
                component.allSatisfy({ $0.isLowercaseASCIIAlphanumeric || "._-".contains($0) }),
                !component.contains(".."), !component.contains("___"), !component.contains("._"),
                !component.contains("_.")
            else { return bad }
        }
        return nil
    }
}

/// A host name: dot-separated labels of letters, digits and `-` (not at either end), each at
/// most 63 characters, 253 in all.
enum HostName {
    static func isValid(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.first, let last = label.last, label.count <= 63 else { return false }
            return first.isASCIIAlphanumeric && last.isASCIIAlphanumeric
                && label.allSatisfy { $0.isASCIIAlphanumeric || $0 == "-" }
        }
    }
}

extension Character {
    var isASCIIAlphanumeric: Bool { isASCII && (isLetter || isNumber) }
    var isLowercaseASCIIAlphanumeric: Bool { ("a"..."z").contains(self) || isASCIIDigit }
}

extension Unicode.Scalar {
    var isASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
