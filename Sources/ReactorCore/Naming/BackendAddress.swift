/// An instance's address as the balancers reach it: an IP, which takes the endpoint's port, or an
/// IP with a port of its own (a container whose engine publishes the endpoint's port on a port of
/// its host, docs/design.md#backend-addresses).
///
/// It is the name of the instance's nodes under `confirmed_ips`, `ip_metrics` and the registration
/// queues: `10.0.0.5`, `10.0.0.5:32768`, `fd00::5` or `[fd00::5]:32768` (``description``, with the
/// IP in its canonical spelling, so one backend has one name).
///
/// ```swift
/// BackendAddress("10.0.0.5:32768")?.key(defaultPort: 8080)   // "10.0.0.5:32768"
/// BackendAddress("10.0.0.5")?.key(defaultPort: 8080)         // "10.0.0.5:8080"
/// ```
public struct BackendAddress: Sendable, Hashable, CustomStringConvertible {
    public let ip: IPAddress
    /// Its own port; nil when it takes its endpoint's.
    public let port: Int?

    public init(ip: IPAddress, port: Int? = nil) {
        self.ip = ip
        self.port = port
    }

    /// Parses one of the four forms above; nil otherwise (a port outside 1…65535, leading zeros,
    /// an IPv6 address with a port but no brackets).
    public init?(_ text: String) {
        if let ip = IPAddress(text) {
            self.init(ip: ip)
            return
        }
        let head: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            head = text[text.index(after: text.startIndex)..<close]
            guard head.contains(":") else { return nil }
        } else {
            guard let colon = text.firstIndex(of: ":"), text[text.index(after: colon)...].firstIndex(of: ":") == nil
            else { return nil }
            head = text[..<colon]
            guard !head.contains(":") else { return nil }
        }
        guard let colon = text.lastIndex(of: ":"), let ip = IPAddress(String(head)),
            let port = Self.port(text[text.index(after: colon)...])
        else { return nil }
        self.init(ip: ip, port: port)
    }

    /// The canonical name: the IP, or `ip:port` (`[ip]:port` for IPv6).
    public var description: String {
        guard let port else { return ip.description }
        return ip.isIPv4 ? "\(ip):\(port)" : "[\(ip)]:\(port)"
    }

    /// `ip:port` as the balancers key their reports and sessions (their `Backend.address`: no
    /// brackets), with `defaultPort` when the address has no port of its own.
    public func key(defaultPort: Int) -> String {
        "\(ip):\(port ?? defaultPort)"
    }

    /// The IP part of a balancer key (`ip:port`, the port after the last colon).
    public static func ipOfKey(_ key: String) -> Substring {
        guard let colon = key.lastIndex(of: ":") else { return Substring(key) }
        return key[..<colon]
    }

    private static func port(_ text: Substring) -> Int? {
        guard (1...5).contains(text.count), text.allSatisfy(\.isASCIIDigit), text == "0" || !text.hasPrefix("0"),
            let value = Int(text), (1...65535).contains(value)
        else { return nil }
        return value
    }
}

/// Backend addresses (an endpoint's confirmed instances, its static ones) found from the keys the
/// balancers report under (`ip:port`): a key names the address with that port, else the address
/// without one whose IP it has.
public struct BackendAddressIndex: Sendable {
    private var byKey: [String: String] = [:]
    private var byIP: [String: String] = [:]

    /// - Parameter addresses: backend address names; names that are no address are left out.
    public init<S: Sequence>(_ addresses: S) where S.Element == String {
        for name in addresses {
            guard let address = BackendAddress(name) else { continue }
            if let port = address.port {
                byKey[address.key(defaultPort: port)] = name
            } else {
                byIP[address.ip.description] = name
            }
        }
    }

    /// The address name a balancer key belongs to, or nil.
    public func address(ofKey key: String) -> String? {
        if let name = byKey[key] { return name }
        let ip = BackendAddress.ipOfKey(key)
        return byIP[String(ip)] ?? IPAddress(String(ip)).flatMap { byIP[$0.description] }
    }
}
