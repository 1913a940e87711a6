/// An IPv4 CIDR block handing out host addresses (the network and broadcast addresses excluded).
struct AddressPool: CustomStringConvertible {
    let base: UInt32
    let prefix: Int

    init(_ cidr: String) throws {
        let parts = cidr.split(separator: "/")
        let octets = parts.first.map { $0.split(separator: ".").compactMap { UInt32($0) } } ?? []
        guard parts.count == 2, octets.count == 4, octets.allSatisfy({ $0 < 256 }), let prefix = Int(parts[1]),
            (8...30).contains(prefix)
        else {
            throw CloudError("'\(cidr)' is not an IPv4 block like 127.0.1.0/24")
        }
        let address = octets.reduce(0) { $0 << 8 | $1 }
        let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix)
        self.base = address & mask
        self.prefix = prefix
    }

    /// The usable addresses, lowest first.
    var addresses: [String] {
        let count = UInt32(1) << UInt32(32 - prefix)
        return (1..<(count - 1)).map { offset in
            let value = base + offset
            return [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xFF) }.joined(separator: ".")
        }
    }

    var description: String {
        let text = [24, 16, 8, 0].map { String((base >> UInt32($0)) & 0xFF) }.joined(separator: ".")
        return "\(text)/\(prefix)"
    }
}
