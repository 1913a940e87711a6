import Testing

@testable import LoadBalancers

/// The rendered `nginx.conf`, without running nginx.
@Suite struct NginxConfigurationTests {
    let configuration = NginxConfiguration(directory: "/var/lib/reactor/nginx", user: nil)

    @Test func upstreamsCarryScaledWeightsAndLeaveOutWeightZero() throws {
        let text = try configuration.render([
            BalancedService(
                url: "http://10.0.0.1:8080/app",
                backends: [
                    Backend(ip: "10.0.1.1", port: 8000, weight: 0.5), Backend(ip: "10.0.1.2", port: 8000, weight: 1.5),
                    Backend(ip: "10.0.1.3", port: 8000, weight: 0),
                ],
                algorithm: .leastConnections, settings: ["keepalive": "8"])
        ])
        #expect(text.contains("server 10.0.1.1:8000 weight=33;"), "0.5:1.5 scales to 33:100\n\(text)")
        #expect(text.contains("server 10.0.1.2:8000 weight=100;"))
        #expect(!text.contains("10.0.1.3"), "weight 0 leaves the backend out")
        #expect(text.contains("least_conn;") && text.contains("keepalive 8;"))
        #expect(text.contains("listen 10.0.0.1:8080;") && text.contains("location \"/app\""))
        #expect(text.contains("proxy_http_version 1.1;") && text.contains("proxy_set_header Connection \"\";"))
        #expect(text.contains("access_log /var/lib/reactor/nginx/access.log reactor;"))
        #expect(text.contains("$upstream_addr|$upstream_status|$upstream_response_time"))
    }

    @Test func stickySessionsHashTheClientAddress() throws {
        let backends = [Backend(ip: "10.0.1.1", port: 80)]
        let hash = try configuration.render([
            BalancedService(url: "http://web.example.com", backends: backends, settings: ["sticky_sessions": "true"])
        ])
        #expect(hash.contains("hash $remote_addr consistent;") && hash.contains("listen 80;"))
        #expect(hash.contains("server_name web.example.com;"))
        let ipHash = try configuration.render([
            BalancedService(
                url: "http://web.example.com", backends: backends,
                settings: ["sticky_sessions": "on", "sticky_method": "ip_hash"])
        ])
        #expect(ipHash.contains("ip_hash;"))
    }

    @Test func httpsNeedsACertificateAndUsesIt() throws {
        let backends = [Backend(ip: "10.0.1.1", port: 80)]
        #expect(throws: NginxBalancerError.self) {
            try configuration.render([BalancedService(url: "https://10.0.0.1/", backends: backends)])
        }
        let text = try configuration.render([
            BalancedService(
                url: "https://10.0.0.1/", backends: backends,
                settings: ["ssl_certificate": "/c.pem", "ssl_key": "/c.key"])
        ])
        #expect(
            text.contains("listen 10.0.0.1:443 ssl;") && text.contains("ssl_certificate /c.pem;")
                && text.contains("ssl_certificate_key /c.key;"))
    }

    /// The original Reactor's `ssl = true` turns TLS on whatever the scheme; its `redirect` is the
    /// endpoint's when the endpoint has none.
    @Test func theOriginalsSSLAndRedirectKeys() throws {
        let backends = [Backend(ip: "10.0.1.1", port: 80)]
        let tls = try configuration.render([
            BalancedService(
                url: "http://10.0.0.1:8080/", backends: backends,
                settings: ["ssl": "true", "ssl_certificate": "/c.pem", "ssl_key": "/c.key"])
        ])
        #expect(tls.contains("listen 10.0.0.1:8080 ssl;") && tls.contains("ssl_certificate /c.pem;"), "\(tls)")
        let plain = try configuration.render([
            BalancedService(url: "http://10.0.0.1:8080/", backends: backends, settings: ["ssl": "false"])
        ])
        #expect(plain.contains("listen 10.0.0.1:8080;") && !plain.contains("ssl_certificate"), "\(plain)")
        let moved = try configuration.render([
            BalancedService(url: "http://10.0.0.1:81/", backends: [], settings: ["redirect": "https://x.example/"]),
            BalancedService(
                url: "http://10.0.0.1:81/own", backends: [], redirect: "https://own.example/",
                settings: ["redirect": "https://x.example/"]),
        ])
        #expect(moved.contains("return 302 \"https://x.example/\";"), "the section's redirect\n\(moved)")
        #expect(moved.contains("return 302 \"https://own.example/\";"), "the endpoint's redirect wins")
        #expect(throws: NginxBalancerError.self, "ssl = true needs its certificate here (the driver makes one)") {
            try configuration.render([
                BalancedService(url: "http://10.0.0.1:8080/", backends: backends, settings: ["ssl": "yes"])
            ])
        }
    }

    @Test func servicesWithoutBackendsAnswer503OrRedirect() throws {
        let text = try configuration.render([
            BalancedService(url: "http://10.0.0.1:81/", backends: []),
            BalancedService(
                url: "http://10.0.0.1:81/old", backends: [Backend(ip: "10.0.1.1", port: 80, weight: 0)],
                redirect: "https://x.example/"),
        ])
        #expect(text.contains("return 503;") && text.contains("return 302 \"https://x.example/\";"))
        #expect(text.ranges(of: "listen 10.0.0.1:81;").count == 1, "one server block for both paths")
    }

    @Test func conflictsAndUnsafeURLsAreRefused() {
        let backends = [Backend(ip: "10.0.1.1", port: 80)]
        #expect(throws: NginxBalancerError.self) {
            try configuration.render([
                BalancedService(url: "http://10.0.0.1:81/", backends: backends),
                BalancedService(url: "http://10.0.0.1:81", backends: backends),
            ])
        }
        for url in [
            "tcp://80", "http://:", "http://a b/", "http://h/x;y", "http://h:99999/", "http://h/\"", "http://h/$host",
        ] {
            #expect(throws: NginxBalancerError.invalidURL(url), "\(url) should be refused") {
                try configuration.render([BalancedService(url: url, backends: backends)])
            }
        }
        #expect(throws: NginxBalancerError.self, "a redirect with a variable") {
            try configuration.render([BalancedService(url: "http://h/", backends: [], redirect: "http://$host/")])
        }
    }
}
