#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// IP address literals as the system reads them (`inet_pton`): what the drivers accept where a
/// configuration needs an address, never a name to resolve.
enum IPLiteral {
    /// A dotted-quad IPv4 address.
    static func isIPv4(_ text: some StringProtocol) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, String(text), &address) == 1
    }

    /// An IPv6 address (without brackets or zone).
    static func isIPv6(_ text: some StringProtocol) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, String(text), &address) == 1
    }

    /// An IPv4 or IPv6 address.
    static func isAddress(_ text: some StringProtocol) -> Bool {
        isIPv4(text) || isIPv6(text)
    }
}
