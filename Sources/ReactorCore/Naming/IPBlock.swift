/// A block of addresses in CIDR form (`127.0.0.1/32`, `10.0.0.0/8`, `::1/128`, `fd00::/8`); a
/// plain address is the block of that address alone. Used for `--trusted-proxy`.
public struct IPBlock: Sendable, Hashable, CustomStringConvertible {
    /// The block's first address (the bits past the prefix cleared).
    public let network: IPAddress
    /// How many leading bits are fixed.
    public let prefixLength: Int

    /// `127.0.0.1/32` and `::1/128`: the default trusted proxies (the API's own host, not the
    /// loopback pools instances of the process cloud use).
    public static let localHost: [IPBlock] = [IPBlock("127.0.0.1/32")!, IPBlock("::1/128")!]

    /// Parses `address[/length]`; `nil` when it is not one.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(String(parts[0])) else { return nil }
        let bits = address.isIPv4 ? 32 : 128
        let length: Int
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCII), let value = Int(parts[1]),
                (0...bits).contains(value)
            else { return nil }
            length = value
        } else {
            length = bits
        }
        prefixLength = length
        network = Self.address(from: Self.masked(Self.bits(of: address), length), like: address)
    }

    /// Whether `address` is in the block (an IPv4 address is never in an IPv6 block, nor the other
    /// way round: give IPv4-mapped addresses in their IPv4 form).
    public func contains(_ address: IPAddress) -> Bool {
        guard address.isIPv4 == network.isIPv4 else { return false }
        return Self.masked(Self.bits(of: address), prefixLength) == Self.bits(of: network)
    }

    public var description: String { "\(network)/\(prefixLength)" }

    /// The address as bits, most significant first.
    private static func bits(of address: IPAddress) -> [Bool] {
        switch address {
        case .v4(let a, let b, let c, let d):
            return [a, b, c, d].flatMap { byte in (0..<8).map { byte & (0x80 >> $0) != 0 } }
        case .v6(let groups):
            return groups.flatMap { group in (0..<16).map { group & (0x8000 >> $0) != 0 } }
        }
    }

    private static func masked(_ bits: [Bool], _ length: Int) -> [Bool] {
        bits.enumerated().map { $0.offset < length && $0.element }
    }

    private static func address(from bits: [Bool], like model: IPAddress) -> IPAddress {
        func value(_ slice: ArraySlice<Bool>) -> Int { slice.reduce(0) { $0 << 1 | ($1 ? 1 : 0) } }
        if model.isIPv4 {
            let bytes = stride(from: 0, to: 32, by: 8).map { UInt8(value(bits[$0..<$0 + 8])) }
            return .v4(bytes[0], bytes[1], bytes[2], bytes[3])
        }
        return .v6(stride(from: 0, to: 128, by: 16).map { UInt16(value(bits[$0..<$0 + 16])) })
    }
}
