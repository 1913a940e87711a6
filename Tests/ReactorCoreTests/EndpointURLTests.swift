import ReactorCore
import Testing

@Suite("Endpoint URL")
struct EndpointURLTests {
    @Test("parts of URLs, including the tcp://port short form")
    func parts() throws {
        let short = try #require(EndpointURL("tcp://8080"))
        #expect(short.scheme == "tcp" && short.host == "" && short.port == 8080, "expected tcp://8080 to be a port")
        let full = try #require(EndpointURL("HTTP://example.com:81/app/x"))
        #expect(full.scheme == "http" && full.host == "example.com" && full.port == 81 && full.path == "/app/x")
        let v6 = try #require(EndpointURL("tcp://[::1]:9000"))
        #expect(v6.host == "::1" && v6.port == 9000, "expected a bracketed IPv6 host")
    }

    @Test(
        "malformed URLs",
        arguments: [
            "example.com", "tcp://host:0", "tcp://host:99999", "http://ex ample", "://x",
            "tcp://[1.2.3.4]:80", "tcp://[::1",
        ])
    func malformed(text: String) {
        #expect(EndpointURL(text) == nil, "expected '\(text)' not to parse")
    }

    @Test(
        "which balancer serves which URL",
        arguments: [
            ("tcp://8080", LoadBalancerDriverKind.tcp, true), ("tcp://0.0.0.0:8080", .tcp, true),
            ("tcp://host", .tcp, false), ("tcp://8080/path", .tcp, false), ("http://x", .tcp, false),
            ("http://example.com", .nginx, true), ("https://example.com:8443/app", .nginx, true),
            ("tcp://80", .nginx, false), ("http://", .nginx, true), ("https://", .nginx, true),
            ("http://:8081", .nginx, true), ("http://", .haproxy, false),
            ("tcp://80", .haproxy, true), ("http://example.com/a", .haproxy, false),
            ("http://example.com/", .haproxy, true), ("https://x", .haproxy, false),
            ("dns://app.example.com", .dnsmasq, true), ("dns://app:53", .dnsmasq, false),
            ("dns://-bad.example", .dnsmasq, false), ("http://app", .dnsmasq, false),
        ] as [(String, LoadBalancerDriverKind, Bool)])
    func servable(url: String, balancer: LoadBalancerDriverKind, accepted: Bool) {
        let problem = EndpointURL.problem(with: url, for: balancer)
        #expect(
            (problem == nil) == accepted,
            "expected \(balancer.rawValue) \(accepted ? "to serve" : "not to serve") '\(url)'")
    }
}
