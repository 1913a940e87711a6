#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hosts file dnsmasq serves (`--addn-hosts`): one `ip name` line per live backend of each service,
/// so that every live backend is an address record of the service's name (A for IPv4, AAAA for IPv6).
///
/// DNS has no weights: a backend of weight 0 is left out and every other one appears exactly once,
/// whatever its weight, so resolvers spread clients evenly across them. Ports are not expressed either;
/// clients connect to the port they know.
enum DNSMasqHostsFile {
    /// The file's text for `services`, names sorted and each name's IPs in first-seen order.
    ///
    /// - Throws: ``DNSMasqBalancerError/invalidURL(_:)`` for a URL that is not `dns://name`,
    ///   ``DNSMasqBalancerError/invalidBackend(url:ip:)`` for a backend IP that is not an address.
    static func render(_ services: [BalancedService]) throws(DNSMasqBalancerError) -> String {
        var records: [String: [String]] = [:]
        for service in services {
            guard let name = name(of: service.url) else { throw .invalidURL(service.url) }
            var ips = records[name, default: []]
            for backend in service.backends where backend.weight > 0 {
                guard isIPAddress(backend.ip) else { throw .invalidBackend(url: service.url, ip: backend.ip) }
                if !ips.contains(backend.ip) { ips.append(backend.ip) }
            }
            records[name] = ips
        }
        var text = "# Written by reactor's dnsmasq balancer; replaced on every change.\n"
        for name in records.keys.sorted() {
            for ip in records[name] ?? [] { text += "\(ip) \(name)\n" }
        }
        return text
    }

    /// The lowercased host name of `dns://name` (an optional trailing `/` allowed), or `nil` when the URL has
    /// another scheme, a port or a path, or the name is not made of 1–63 character labels of letters, digits
    /// and inner hyphens.
    static func name(of url: String) -> String? {
        guard let separator = url.firstRange(of: "://"), url[..<separator.lowerBound].lowercased() == "dns" else {
            return nil
        }
        var name = url[separator.upperBound...]
        if name.hasSuffix("/") { name = name.dropLast() }
        guard !name.isEmpty, name.utf8.count <= 253 else { return nil }
        let valid = name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
        return valid ? name.lowercased() : nil
    }

    static func isIPAddress(_ text: String) -> Bool {
        IPLiteral.isAddress(text)
    }
}
