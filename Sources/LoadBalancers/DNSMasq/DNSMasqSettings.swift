/// The `[loadbalancer:dnsmasq]` section of an endpoint: how the name's records are served.
///
/// ```ini
/// [loadbalancer:dnsmasq]
/// ttl = 1        ; seconds resolvers may cache the answer; 0 to 86400; default 1
/// ```
///
/// A short TTL is what makes DNS round robin follow the fleet: a resolver that cached the records keeps
/// sending clients to the instances it knew until the TTL runs out.
public struct DNSMasqSettings: Sendable, Hashable {
    /// `ttl`, in seconds; default 1.
    public var ttl: Int

    /// - Parameter ttl: default 1 second.
    public init(ttl: Int = 1) {
        self.ttl = ttl
    }

    /// Reads the section's keys; absent keys take their defaults and unknown keys are ignored.
    ///
    /// - Throws: ``DNSMasqBalancerError/invalidSetting(key:value:expected:)`` naming the key and what it takes.
    public init(section: [String: String]) throws(DNSMasqBalancerError) {
        self.init()
        if let text = section["ttl"] {
            guard let seconds = Int(text), (0...86_400).contains(seconds) else {
                throw .invalidSetting(key: "ttl", value: text, expected: "a whole number of seconds from 0 to 86400")
            }
            ttl = seconds
        }
    }
}
