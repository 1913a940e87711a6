/// The parts of an endpoint URL (`[endpoint] url`) and the check that a load balancer can serve it.
///
/// Parsed by hand rather than with `Foundation.URL`, which reads `tcp://8080` as a host named "8080".
public struct EndpointURL: Sendable, Hashable {
    /// Lowercased scheme, e.g. `http`.
    public var scheme: String
    /// The host, without brackets for IPv6; empty when the URL names only a port (`tcp://8080`).
    public var host: String
    /// The explicit port, if any.
    public var port: Int?
    /// Everything from the first `/` after the authority; empty when absent.
    public var path: String

    /// Parses `scheme://[host][:port][/path]`, plus the `tcp://port` short form.
    ///
    /// - Returns: `nil` when the text does not have that shape or the port is outside 1…65535.
    public init?(_ text: String) {
        guard let separator = text.range(of: "://") else { return nil }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard let first = scheme.first, first.isLetter,
            scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+.-".contains($0) })
        else { return nil }
        let rest = text[separator.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        self.scheme = scheme
        self.path = String(rest[authority.endIndex...])
        guard let (host, port) = Self.splitAuthority(authority) else { return nil }
        self.host = host
        self.port = port
    }

    private static func splitAuthority(_ authority: Substring) -> (String, Int?)? {
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
            guard IPAddress(String(host)).map({ !$0.isIPv4 }) == true else { return nil }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else if !authority.isEmpty, authority.allSatisfy(\.isASCIIDigit) {
            host = ""
            portText = authority
        }
        guard
            host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-_".contains($0)) })
                || authority.hasPrefix("[")
        else { return nil }
        guard let portText else { return (String(host), nil) }
        guard portText.allSatisfy(\.isASCIIDigit), let port = Int(portText), (1...65535).contains(port) else {
            return nil
        }
        return (String(host), port)
    }

    /// Why `loadBalancer` cannot serve `text`, or `nil` when it can.
    public static func problem(with text: String, for loadBalancer: LoadBalancerDriverKind) -> String? {
        let url = EndpointURL(text)
        let ok: Bool =
            switch loadBalancer {
            case .tcp: url?.isTCP == true
            // `http://`, `https://` and `http://:PORT` are nginx's catch-all (its default server).
            case .nginx: url?.isHTTP(allowingTLS: true, catchAll: true) == true
            case .haproxy:
                url?.isTCP == true
                    || url.map { $0.isHTTP(allowingTLS: false) && ($0.path.isEmpty || $0.path == "/") } == true
            case .dnsmasq: url?.isDNS == true
            }
        if ok { return nil }
        return "loadbalancer \(loadBalancer.rawValue) serves \(loadBalancer.urlForms); cannot serve '\(text)'"
    }

    var isTCP: Bool { scheme == "tcp" && port != nil && path.isEmpty }

    func isHTTP(allowingTLS: Bool, catchAll: Bool = false) -> Bool {
        (scheme == "http" || (allowingTLS && scheme == "https")) && (!host.isEmpty || port != nil || catchAll)
    }

    var isDNS: Bool {
        guard scheme == "dns", port == nil, path.isEmpty || path == "/", !host.isEmpty else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
