import LoadBalancers
import Testing

@Suite struct TCPSettingsTests {
    @Test func defaultsWhenTheSectionIsEmpty() throws {
        let settings = try TCPSettings(section: [:])
        #expect(settings == TCPSettings(algorithm: .roundRobin, holdTimeout: .zero))
        #expect(settings.maxConnections == 10_000, "max_connections defaults to 10000")
        #expect(settings.idleTimeout == .seconds(300), "idle_timeout defaults to 300 s")
    }

    @Test func keysAreRead() throws {
        let settings = try TCPSettings(section: [
            "balance": "LeastConn", "hold_timeout": "2.5", "max_connections": "50", "idle_timeout": "0.5",
        ])
        #expect(
            settings
                == TCPSettings(
                    algorithm: .leastConnections, holdTimeout: .milliseconds(2500), maxConnections: 50,
                    idleTimeout: .milliseconds(500)))
    }

    @Test func badValuesSayWhatWasExpected() {
        #expect(
            throws: TCPBalancerError.invalidSetting(
                key: "balance", value: "random", expected: "roundrobin or leastconn")
        ) {
            try TCPSettings(section: ["balance": "random"])
        }
        #expect(throws: TCPBalancerError.self) { try TCPSettings(section: ["hold_timeout": "-1"]) }
        for bad in ["0", "-3", "lots", "1.5", "2000000"] {
            #expect(
                throws: TCPBalancerError.invalidSetting(
                    key: "max_connections", value: bad, expected: "a whole number from 1 to 1000000")
            ) {
                try TCPSettings(section: ["max_connections": bad])
            }
        }
        for bad in ["-1", "soon", "nan", "inf"] {
            #expect(
                throws: TCPBalancerError.invalidSetting(
                    key: "idle_timeout", value: bad, expected: "a number of seconds from 0 to 1000000")
            ) {
                try TCPSettings(section: ["idle_timeout": bad])
            }
        }
    }

    /// What the API answers with (a 400 naming the key) and what the manager isolates.
    @Test func theSettingsCheckNamesTheBadKey() {
        #expect(
            BalancerSettingsCheck.problem(driver: "tcp", section: ["max_connections": "100"], unknownKeys: true) == nil)
        #expect(BalancerSettingsCheck.problem(driver: "tcp", section: ["idle_timeout": "30"], unknownKeys: true) == nil)
        let limit = BalancerSettingsCheck.problem(
            driver: "tcp", section: ["max_connections": "none"], unknownKeys: true)
        #expect(limit?.key == "max_connections", "the bad key should be named, got \(String(describing: limit))")
        #expect(limit?.message == "'none': expected a whole number from 1 to 1000000")
        let idle = BalancerSettingsCheck.problem(driver: "tcp", section: ["idle_timeout": "-5"])
        #expect(idle?.key == "idle_timeout", "the bad key should be named, got \(String(describing: idle))")
        let typo = BalancerSettingsCheck.problem(driver: "tcp", section: ["max_conections": "5"], unknownKeys: true)
        #expect(typo?.key == "max_conections", "a mistyped key should be refused")
    }
}
