/// Where a `tcp` service listens, read from its URL `tcp://[host:]port`.
///
/// The host defaults to `0.0.0.0`; an IPv6 host is written in brackets (`tcp://[::1]:8080`). Port 0
/// asks the system for a free port (see ``TCPBalancer/boundPort(for:)``), which tests use.
struct TCPListenAddress: Sendable, Hashable {
    var host: String
    var port: Int

    init(url: String) throws(TCPBalancerError) {
        guard url.lowercased().hasPrefix("tcp://") else { throw .invalidURL(url) }
        let authority = url.dropFirst("tcp://".count)
        var host: Substring = "0.0.0.0"
        var portText = authority
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]"),
                authority[authority.index(after: close)...].hasPrefix(":")
            else { throw .invalidURL(url) }
            host = authority[authority.index(after: authority.startIndex)..<close]
            portText = authority[authority.index(close, offsetBy: 2)...]
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty, !host.contains("/"), !portText.isEmpty, portText.allSatisfy(\.isASCIIDigit),
            let port = Int(portText), (0...65535).contains(port)
        else { throw .invalidURL(url) }
        self.host = String(host)
        self.port = port
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
