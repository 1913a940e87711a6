import Foundation
import ReactorCore

/// Who a manager is for this run: a stable name (its host), a fresh uuid, its ring keys and the
/// drivers it can run here.
public struct ManagerIdentity: Sendable, Hashable {
    /// The name its configuration and log are kept under (default: the host's primary IP).
    public var name: String
    /// A fresh uuid per run, naming its ephemeral nodes.
    public var id: String
    /// Random positions on the ownership ring.
    public var keys: [UInt64]
    public var clouds: [String]
    public var loadBalancers: [String]
    /// The addresses this host has (the API trusts `X-Forwarded-For` from them).
    public var ips: [String]

    public init(
        name: String, id: String = UUID().uuidString.lowercased(), keyCount: Int = 64, clouds: [String],
        loadBalancers: [String], ips: [String]
    ) {
        self.name = name
        self.id = id
        var generator = SystemRandomNumberGenerator()
        self.keys = (0..<max(1, keyCount)).map { _ in generator.next() }
        self.clouds = clouds
        self.loadBalancers = loadBalancers
        self.ips = ips
    }

    /// What is written to `/reactor/managers/keys/<uuid>`.
    public var registration: JSONValue {
        .object([
            "name": .string(name),
            "keys": .array(keys.map { .string(String($0, radix: 16)) }),
            "clouds": .array(clouds.map(JSONValue.string)),
            "loadbalancers": .array(loadBalancers.map(JSONValue.string)),
            "ips": .array(ips.map(JSONValue.string)),
        ])
    }

    /// Reads a registration back as a ring member (nil when it is not one).
    public static func member(id: String, registration: JSONValue) -> HashRing.Member? {
        guard case .object(let fields) = registration, let keys = fields["keys"]?.arrayValue else { return nil }
        let strings: (String) -> Set<String> = { field in
            Set(fields[field]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
        return HashRing.Member(
            id: id, keys: keys.compactMap { $0.stringValue.flatMap { UInt64($0, radix: 16) } },
            clouds: strings("clouds"), loadBalancers: strings("loadbalancers"))
    }
}
