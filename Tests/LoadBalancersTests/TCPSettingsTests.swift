import LoadBalancers
import Testing

@Suite struct TCPSettingsTests {
    @Test func defaultsWhenTheSectionIsEmpty() throws {
        #expect(try TCPSettings(section: [:]) == TCPSettings(algorithm: .roundRobin, holdTimeout: .zero))
    }

    @Test func keysAreRead() throws {
        let settings = try TCPSettings(section: ["balance": "LeastConn", "hold_timeout": "2.5"])
        #expect(settings == TCPSettings(algorithm: .leastConnections, holdTimeout: .milliseconds(2500)))
    }

    @Test func badValuesSayWhatWasExpected() {
        #expect(
            throws: TCPBalancerError.invalidSetting(
                key: "balance", value: "random", expected: "roundrobin or leastconn")
        ) {
            try TCPSettings(section: ["balance": "random"])
        }
        #expect(throws: TCPBalancerError.self) { try TCPSettings(section: ["hold_timeout": "-1"]) }
    }
}
