import LoadBalancers
import Testing

@Suite struct NginxSettingsTests {
    @Test func defaultsWhenTheSectionIsEmpty() throws {
        #expect(try NginxSettings(section: [:]) == NginxSettings())
        #expect(NginxSettings().keepalive == 16 && !NginxSettings().stickySessions)
    }

    @Test func keysAreRead() throws {
        let settings = try NginxSettings(section: [
            "balance": "LeastConn", "sticky_sessions": "yes", "sticky_method": "ip_hash", "keepalive": "0",
            "ssl_certificate": "/etc/ssl/web.pem", "ssl_key": "/etc/ssl/web.key", "connect_timeout": "0.5",
            "read_timeout": "30",
        ])
        #expect(
            settings
                == NginxSettings(
                    algorithm: .leastConnections, stickySessions: true, stickyMethod: .ipHash, keepalive: 0,
                    sslCertificate: "/etc/ssl/web.pem", sslKey: "/etc/ssl/web.key", connectTimeout: .milliseconds(500),
                    readTimeout: .seconds(30)))
    }

    @Test func badValuesNameTheKeyAndWhatItTakes() {
        #expect(
            throws: NginxBalancerError.invalidSetting(
                key: "sticky_sessions", value: "maybe", expected: "true or false (also yes/no, on/off, 1/0)")
        ) {
            try NginxSettings(section: ["sticky_sessions": "maybe"])
        }
        #expect(
            throws: NginxBalancerError.invalidSetting(
                key: "keepalive", value: "-1", expected: "a whole number from 0 to 10000")
        ) {
            try NginxSettings(section: ["keepalive": "-1"])
        }
        // A path that could smuggle directives (or nginx variables) into the configuration.
        #expect(throws: NginxBalancerError.self) {
            try NginxSettings(section: ["ssl_certificate": "/a.pem; include /etc/x"])
        }
        #expect(throws: NginxBalancerError.self) { try NginxSettings(section: ["ssl_key": "relative.key"]) }
        #expect(throws: NginxBalancerError.self) { try NginxSettings(section: ["connect_timeout": "0"]) }
        #expect(throws: NginxBalancerError.self) { try NginxSettings(section: ["sticky_method": "cookie"]) }
    }
}
