import LoadBalancers
import Testing

struct DNSMasqSettingsTests {
    @Test func defaultsToOneSecond() throws {
        #expect(try DNSMasqSettings(section: [:]).ttl == 1)
        #expect(try DNSMasqSettings(section: ["other": "x"]).ttl == 1, "expected unknown keys to be ignored")
    }

    @Test func readsTTL() throws {
        #expect(try DNSMasqSettings(section: ["ttl": "0"]).ttl == 0)
        #expect(try DNSMasqSettings(section: ["ttl": "300"]).ttl == 300)
    }

    @Test(arguments: ["", "soon", "-1", "1.5", "86401", "1s"])
    func badTTLThrowsNamingTheKey(value: String) {
        #expect {
            _ = try DNSMasqSettings(section: ["ttl": value])
        } throws: { error in
            "\(error)" == "[loadbalancer:dnsmasq] ttl = '\(value)': expected a whole number of seconds from 0 to 86400"
        }
    }
}
