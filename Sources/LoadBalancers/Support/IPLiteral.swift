import ReactorCore

/// IP address literals where a balancer configuration needs an address, never a name to
/// resolve: the one check of ReactorCore's ``IPAddress`` (what the API accepts too).
enum IPLiteral {
    /// A dotted-quad IPv4 address.
    static func isIPv4(_ text: some StringProtocol) -> Bool {
        IPAddress(String(text))?.isIPv4 == true
    }

    /// An IPv6 address (without brackets or zone).
    static func isIPv6(_ text: some StringProtocol) -> Bool {
        IPAddress(String(text))?.isIPv4 == false
    }

    /// An IPv4 or IPv6 address.
    static func isAddress(_ text: some StringProtocol) -> Bool {
        IPAddress.isValid(String(text))
    }
}
