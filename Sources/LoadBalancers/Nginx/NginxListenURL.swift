/// Where an `nginx` service listens and which requests it takes, read from `http[s]://host[:port][/path]`.
///
/// An IP host (`127.0.0.1`, `[::1]`) is listened on as given; a name (`www.example.com`) is served on the
/// port of every address, as that `server_name`. The port defaults to 80 (http) or 443 (https), the path
/// to `/`. Only characters that need no quoting in nginx's configuration are accepted. No host at all
/// (`http://`, `https://`, `http://:8081/`) is the catch-all: every address, nginx's `default_server`
/// for requests no other server name takes.
struct NginxListenURL: Sendable, Hashable {
    var secure: Bool
    /// The address for `listen` (`127.0.0.1`, `[::1]`), or `nil` for every address.
    var address: String?
    /// The `server_name`, or `nil` when the host is an address.
    var serverName: String?
    var port: Int
    var path: String
    /// No host: the default server of its port.
    var isCatchAll: Bool { address == nil && serverName == nil }

    /// `address:port` or `port`, as written after `listen`.
    var listen: String { address.map { "\($0):\(port)" } ?? "\(port)" }

    init(url: String) throws(NginxBalancerError) {
        let lowered = url.lowercased()
        let rest: Substring
        if lowered.hasPrefix("http://") {
            secure = false
            rest = url.dropFirst("http://".count)
        } else if lowered.hasPrefix("https://") {
            secure = true
            rest = url.dropFirst("https://".count)
        } else {
            throw .invalidURL(url)
        }
        let authority = rest.prefix { $0 != "/" }
        let pathText = rest.dropFirst(authority.count)
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalidURL(url) }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidURL(url) }
                portText = after.dropFirst()
            }
            let inside = host.dropFirst().dropLast()
            guard IPLiteral.isIPv6(inside) else { throw .invalidURL(url) }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        if let portText {
            guard !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portText),
                (1...65535).contains(port)
            else { throw .invalidURL(url) }
            self.port = port
        } else {
            self.port = secure ? 443 : 80
        }
        if host.isEmpty {
            address = nil
            serverName = nil
        } else if host.hasPrefix("[") {
            address = String(host)
            serverName = nil
        } else {
            let allowed = host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
            guard allowed, !host.hasPrefix("."), !host.hasPrefix("-") else { throw .invalidURL(url) }
            let isIPv4 = IPLiteral.isIPv4(host)
            address = isIPv4 ? String(host) : nil
            serverName = isIPv4 ? nil : String(host).lowercased()
        }
        let path = pathText.isEmpty ? "/" : String(pathText)
        let pathAllowed = path.allSatisfy {
            $0.isASCII && ($0.isLetter || $0.isNumber || "/-._~%+,=:@".contains($0))
        }
        guard pathAllowed, !path.contains("//") else { throw .invalidURL(url) }
        self.path = path
    }
}
