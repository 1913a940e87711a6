import Testing

@testable import LoadBalancers

@Suite struct HAProxySettingsTests {
    @Test func keysAreReadAndDefaultsKept() throws {
        #expect(try HAProxySettings(section: [:]) == HAProxySettings())
        let settings = try HAProxySettings(section: [
            "balance": "leastconn", "sticky_sessions": "true", "mode": "HTTP", "check_url": "/health",
            "check_interval": "0.5", "connect_timeout": "1", "idle_timeout": "60",
        ])
        #expect(
            settings
                == HAProxySettings(
                    algorithm: .leastConnections, stickySessions: true, mode: .http, checkURL: "/health",
                    checkInterval: .milliseconds(500), connectTimeout: .seconds(1), idleTimeout: .seconds(60)))
    }

    /// The original Reactor's haproxy keys: more `balance` modes, a sticky cookie, millisecond
    /// timeouts and the error location.
    @Test func theOriginalsKeysAreRead() throws {
        let settings = try HAProxySettings(section: [
            "balance": "uri", "sticky": "true", "contimeout": "1500", "clitimeout": "50000", "srvtimeout": "60000",
            "errorloc": "https://example.com/busy.html",
        ])
        #expect(settings.balance == .uri && settings.algorithm == nil && settings.stickyCookie)
        #expect(settings.connectTimeout == .milliseconds(1500) && settings.idleTimeout == .seconds(60))
        #expect(settings.errorLocation == "https://example.com/busy.html")
        #expect(try HAProxySettings(section: ["balance": "source"]).balance == .source)
        #expect(try HAProxySettings(section: ["balance": "roundrobin"]).algorithm == .roundRobin)
        for (key, value) in [
            ("balance", "random"), ("contimeout", "1.5"), ("clitimeout", "5"), ("errorloc", "/busy"),
            ("errorloc", "https://x/a b"), ("sticky", "maybe"),
        ] {
            #expect(throws: HAProxyBalancerError.self, "\(key) = \(value)") {
                try HAProxySettings(section: [key: value])
            }
        }
        let configuration = HAProxyConfiguration(directory: "/var/lib/reactor/haproxy")
        let (text, _) = try configuration.render([
            BalancedService(
                url: "http://10.0.0.1:8080", backends: [Backend(ip: "10.0.1.3", port: 80)],
                settings: ["balance": "uri", "sticky": "true", "errorloc": "https://example.com/busy.html"])
        ])
        #expect(text.contains("balance uri\n    hash-type consistent"), "\(text)")
        #expect(text.contains("cookie SERVERID insert indirect nocache"))
        #expect(text.contains("server 10.0.1.3_80 10.0.1.3:80 weight 1 cookie 10.0.1.3_80"), "\(text)")
        #expect(text.contains("errorloc 503 https://example.com/busy.html"))
    }

    @Test func badValuesNameTheKeyAndWhatItTakes() {
        #expect(throws: HAProxyBalancerError.invalidSetting(key: "mode", value: "udp", expected: "tcp or http")) {
            try HAProxySettings(section: ["mode": "udp"])
        }
        #expect(throws: HAProxyBalancerError.self) { try HAProxySettings(section: ["check_url": "/x y"]) }
        #expect(throws: HAProxyBalancerError.self) { try HAProxySettings(section: ["sticky_sessions": "2"]) }
        #expect(throws: HAProxyBalancerError.self) { try HAProxySettings(section: ["idle_timeout": "0"]) }
    }
}

/// The rendered `haproxy.cfg` and the parsing of haproxy's answers, without running haproxy.
@Suite struct HAProxyConfigurationTests {
    let configuration = HAProxyConfiguration(directory: "/var/lib/reactor/haproxy")

    @Test func servicesBecomeFrontendsAndBackendsWithIntegerWeights() throws {
        let (text, proxies) = try configuration.render([
            BalancedService(
                url: "tcp://5432",
                backends: [
                    Backend(ip: "10.0.1.1", port: 5432, weight: 0.5), Backend(ip: "10.0.1.2", port: 5432, weight: 0),
                ],
                algorithm: .leastConnections),
            BalancedService(
                url: "http://10.0.0.1:8080", backends: [Backend(ip: "10.0.1.3", port: 80)],
                settings: ["sticky_sessions": "yes", "check_url": "/health"]),
        ])
        #expect(proxies == ["tcp://5432": "svc_0.0.0.0_5432", "http://10.0.0.1:8080": "svc_10.0.0.1_8080"])
        #expect(
            text.contains("stats socket /var/lib/reactor/haproxy/haproxy.sock mode 600 level admin expose-fd listeners")
        )
        #expect(text.contains("bind 0.0.0.0:5432") && text.contains("mode tcp") && text.contains("balance leastconn"))
        #expect(
            text.contains("server 10.0.1.1_5432 10.0.1.1:5432 weight 256\n"),
            "a lone fractional weight scales to the top")
        #expect(text.contains("server 10.0.1.2_5432 10.0.1.2:5432 weight 0\n"), "weight 0 drains: no new connections")
        #expect(text.contains("mode http") && text.contains("stick-table type ip") && text.contains("stick on src"))
        #expect(
            text.contains("option httpchk GET /health")
                && text.contains("server 10.0.1.3_80 10.0.1.3:80 weight 1 check inter 2000ms"))
    }

    @Test func badURLsAndConflictsAreRefused() {
        for url in ["udp://53", "http://h:80/path", "tcp://", "http://a b:80"] {
            #expect(throws: HAProxyBalancerError.invalidURL(url), "\(url) should be refused") {
                try configuration.render([BalancedService(url: url, backends: [])])
            }
        }
        #expect(throws: HAProxyBalancerError.self) {
            try configuration.render([
                BalancedService(url: "tcp://127.0.0.1:80", backends: []),
                BalancedService(url: "http://127.0.0.1", backends: []),
            ])
        }
    }

    @Test func answersAreParsed() {
        let processes = HAProxyCLI.Processes(
            """
            #<PID>          <type>          <reloads>       <uptime>        <version>
            3778            master          2 [failed: 1]   0d00h10m37s     2.6.12
            # workers
            26458           worker          0               0d00h00m01s     2.6.12
            # old workers
            26205           worker          1               0d00h00m08s     2.6.12
            # programs
            """)
        #expect(processes.reloads == 2 && processes.failedReloads == 1)
        #expect(processes.current == [26458] && processes.old == [26205])

        let sessions = HAProxyCLI.sessions(
            """
            0x7f63d0039d90: proto=tcpv4 src=127.0.0.1:47952 fe=svc_x be=svc_x srv=127.0.0.1_8000 ts=00 age=4s
            0x7f3890039ce0: proto=sockpair src=unix:2 fe=GLOBAL be=<NONE> srv=<none> ts=00
            """)
        #expect(
            sessions == [
                .init(id: "0x7f63d0039d90", client: "127.0.0.1:47952", backend: "svc_x", server: "127.0.0.1_8000")
            ])
        #expect(HAProxyConfiguration.address(ofServer: "127.0.0.1_8000") == "127.0.0.1:8000")
        #expect(HAProxyConfiguration.address(ofServer: "::1_8000") == "::1:8000")

        let rows = HAProxyCLI.statRows("# pxname,svname,qcur,scur\nsvc_x,127.0.0.1_8000,,3\nsvc_x,BACKEND,0,3\n")
        #expect(rows.count == 2 && rows[0]["scur"] == "3" && rows[1]["svname"] == "BACKEND")
    }

    /// The original Reactor wrote `check_url` after `option` and formatted `errorloc` with the
    /// status code: both forms are read.
    @Test func theOriginalsCheckURLAndErrorLocationForms() throws {
        let settings = try HAProxySettings(section: [
            "check_url": "httpchk GET /health HTTP/1.0", "errorloc": "http://example.com/errors/%d.html",
        ])
        #expect(settings.checkURL == "/health", "the path of httpchk GET /health HTTP/1.0")
        #expect(settings.errorLocation == "http://example.com/errors/503.html", "%d is the status code, 503")
        #expect(try HAProxySettings(section: ["check_url": "httpchk /up"]).checkURL == "/up")
        #expect(throws: HAProxyBalancerError.self, "httpchk without a path is refused") {
            try HAProxySettings(section: ["check_url": "httpchk GET"])
        }
        let check = BalancerSettingsCheck.problem(
            driver: "haproxy", section: ["errorloc": "http://example.com/%d"], url: "http://example.com",
            unknownKeys: true)
        #expect(check == nil, "the original's %d is no log-format expression: \(String(describing: check))")
        #expect(
            BalancerSettingsCheck.problem(driver: "haproxy", section: ["errorloc": "http://example.com/%x"])?.key
                == "errorloc", "another % still is")
    }
}
