import Crypto
import ReactorStore

/// The consistent-hash ring every manager computes the same way (docs/design.md#ownership).
///
/// Each registered manager contributes its random ring keys; an endpoint sits at the first 64
/// bits of `sha1(endpoint uuid)` and is owned by the first manager clockwise from there that can
/// run the endpoint's cloud and load balancer. A manager joining or leaving moves only the
/// endpoints between its keys and their neighbours.
public struct HashRing: Sendable, Hashable {
    /// One registered manager as the ring sees it.
    public struct Member: Sendable, Hashable {
        public var id: String
        public var keys: [UInt64]
        public var clouds: Set<String>
        public var loadBalancers: Set<String>

        public init(id: String, keys: [UInt64], clouds: Set<String>, loadBalancers: Set<String>) {
            self.id = id
            self.keys = keys
            self.clouds = clouds
            self.loadBalancers = loadBalancers
        }

        func canRun(cloud: String?, loadBalancer: String?) -> Bool {
            (cloud.map { clouds.contains($0) } ?? true) && (loadBalancer.map { loadBalancers.contains($0) } ?? true)
        }
    }

    public let members: [Member]
    private let points: [Point]

    private struct Point: Hashable {
        let key: UInt64
        let member: Int
    }

    public init(members: [Member]) {
        let members = members.sorted { $0.id < $1.id }
        self.members = members
        points = members.enumerated()
            .flatMap { index, member in member.keys.map { Point(key: $0, member: index) } }
            .sorted { ($0.key, $0.member) < ($1.key, $1.member) }
    }

    /// The position of a name on the ring: the first 64 bits of its SHA-1, big-endian.
    public static func position(of name: String) -> UInt64 {
        Insecure.SHA1.hash(data: Array(name.utf8)).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The id of the manager that owns `name` (an endpoint uuid, or an IP for the registration
    /// queues), among those able to run `cloud` and `loadBalancer` (nil: no requirement).
    public func owner(of name: String, cloud: String? = nil, loadBalancer: String? = nil) -> String? {
        guard !points.isEmpty else { return nil }
        let position = Self.position(of: name)
        // First point at or after the position, by binary search; wrap around past the end.
        var low = 0
        var high = points.count
        while low < high {
            let middle = (low + high) / 2
            if points[middle].key < position { low = middle + 1 } else { high = middle }
        }
        for step in 0..<points.count {
            let point = points[(low + step) % points.count]
            let member = members[point.member]
            if member.canRun(cloud: cloud, loadBalancer: loadBalancer) { return member.id }
        }
        return nil
    }
}
