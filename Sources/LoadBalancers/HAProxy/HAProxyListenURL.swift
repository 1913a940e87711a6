/// Where an `haproxy` service listens, read from `tcp://[host:]port` (host default `0.0.0.0`) or
/// `http://host[:port]` (port default 80; no path: haproxy balances the whole address).
struct HAProxyListenURL: Sendable, Hashable {
    var mode: HAProxySettings.Mode
    var host: String
    var port: Int

    /// `host:port` as written after `bind`.
    var bind: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }
    /// The frontend and backend name: stable across reloads, so the stats of one service keep their name.
    var proxyName: String {
        "svc_" + host.map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : "_" } + "_\(port)"
    }

    init(url: String) throws(HAProxyBalancerError) {
        if url.lowercased().hasPrefix("tcp://") {
            let address: TCPListenAddress
            do { address = try TCPListenAddress(url: url) } catch { throw .invalidURL(url) }
            mode = .tcp
            host = address.host
            port = address.port
        } else if url.lowercased().hasPrefix("http://") {
            var authority = url.dropFirst("http://".count)
            if authority.hasSuffix("/") { authority = authority.dropLast() }
            guard !authority.contains("/"), !authority.isEmpty else { throw .invalidURL(url) }
            let hasPort = authority.hasPrefix("[") ? authority.contains("]:") : authority.contains(":")
            let address: TCPListenAddress
            do {
                address = try TCPListenAddress(url: "tcp://" + authority + (hasPort ? "" : ":80"))
            } catch { throw .invalidURL(url) }
            mode = .http
            host = address.host
            port = address.port
        } else {
            throw .invalidURL(url)
        }
        let plain = host.allSatisfy {
            $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":")
        }
        guard plain, port > 0 else { throw .invalidURL(url) }
    }
}
