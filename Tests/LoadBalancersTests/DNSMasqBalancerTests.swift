import LoadBalancers
import Testing
import ZooKeeperTesting

#if canImport(Glibc)
import Glibc
#endif

/// The dnsmasq balancer against a real dnsmasq on 127.0.0.1, queried with ``DNSQuery``.
@Suite(.enabled(if: DNSMasqBalancer.isInstalled(), "dnsmasq is not installed (Debian: dnsmasq-base)"))
struct DNSMasqBalancerTests {
    static func service(_ url: String, _ ips: [String], settings: [String: String] = [:]) -> BalancedService {
        BalancedService(url: url, backends: ips.map { Backend(ip: $0, port: 8000) }, settings: settings)
    }

    @Test func nameResolvesToEveryLiveBackendOnce() async throws {
        try await withDNSMasq { balancer, port, _ in
            try await balancer.configure([
                BalancedService(
                    url: "dns://web.reactor.test",
                    backends: [
                        Backend(ip: "127.0.1.1", port: 8000),
                        Backend(ip: "127.0.1.2", port: 8000, weight: 3),
                        Backend(ip: "127.0.1.2", port: 8001),  // another port of the same IP: one record
                        Backend(ip: "127.0.1.3", port: 8000, weight: 0),  // drained: left out
                    ])
            ])
            let reply = try await DNSQuery.query("web.reactor.test", port: port)
            #expect(reply.rcode == 0, "expected NOERROR, got \(reply.rcode)")
            #expect(reply.addresses == ["127.0.1.1", "127.0.1.2"], "expected the two live backends")
            #expect(reply.ttls == [1], "expected the default TTL of 1 s")
            let other = try await DNSQuery.query("other.reactor.test", port: port)
            #expect(other.rcode == 3 && other.addresses.isEmpty, "expected NXDOMAIN for a name not served: \(other)")
        }
    }

    @Test func backendsAddedAndRemovedTakeEffectWithinASecond() async throws {
        try await withDNSMasq { balancer, port, _ in
            let name = "app.reactor.test"
            try await balancer.configure([Self.service("dns://\(name)", ["127.0.1.1", "127.0.1.2"])])
            let started = try #require(await balancer.processID, "expected dnsmasq to run after the first configure")
            _ = try await DNSQuery.waitFor(name, port: port, within: .seconds(2)) {
                $0.addresses == ["127.0.1.1", "127.0.1.2"]
            }

            try await balancer.configure([Self.service("dns://\(name)", ["127.0.1.1", "127.0.1.2", "127.0.1.3"])])
            let added = try await DNSQuery.waitFor(name, port: port, within: .seconds(1)) {
                $0.addresses == ["127.0.1.1", "127.0.1.2", "127.0.1.3"]
            }

            try await balancer.configure([Self.service("dns://\(name)", ["127.0.1.2", "127.0.1.3"])])
            let removed = try await DNSQuery.waitFor(name, port: port, within: .seconds(1)) {
                $0.addresses == ["127.0.1.2", "127.0.1.3"]
            }
            #expect(added < .seconds(1) && removed < .seconds(1), "expected changes within 1 s: \(added), \(removed)")
            #expect(await balancer.processID == started, "expected a reload (SIGHUP), not a restart")
        }
    }

    @Test func removedServiceStopsResolving() async throws {
        try await withDNSMasq { balancer, port, _ in
            try await balancer.configure([
                Self.service("dns://one.reactor.test", ["127.0.1.1"]),
                Self.service("dns://two.reactor.test", ["127.0.1.2"]),
            ])
            _ = try await DNSQuery.waitFor("two.reactor.test", port: port, within: .seconds(2)) {
                $0.addresses == ["127.0.1.2"]
            }
            try await balancer.configure([Self.service("dns://one.reactor.test", ["127.0.1.1"])])
            let reply = try await DNSQuery.query("two.reactor.test", port: port)
            #expect(reply.addresses.isEmpty && reply.rcode == 3, "expected NXDOMAIN for a removed service: \(reply)")
            let kept = try await DNSQuery.query("one.reactor.test", port: port)
            #expect(kept.addresses == ["127.0.1.1"], "expected the remaining service to keep resolving: \(kept)")

            // A service whose backends are all gone has no records either.
            try await balancer.configure([Self.service("dns://one.reactor.test", [])])
            let empty = try await DNSQuery.query("one.reactor.test", port: port)
            #expect(empty.addresses.isEmpty, "expected no records without a live backend: \(empty)")
        }
    }

    @Test func shutdownStopsTheProcess() async throws {
        try await withDNSMasq { balancer, port, directory in
            try await balancer.configure([Self.service("dns://web.reactor.test", ["127.0.1.1"])])
            let pid = try #require(await balancer.processID, "expected dnsmasq to run")
            #expect(dnsmasqProcesses(in: directory) == [pid])
            await balancer.shutdown()
            #expect(await balancer.processID == nil)
            #expect(kill(pid, 0) != 0 && errno == ESRCH, "expected dnsmasq \(pid) to be gone (and reaped)")
            #expect(dnsmasqProcesses(in: directory).isEmpty, "expected no dnsmasq left in \(directory)")
            await #expect(throws: (any Error).self, "expected no DNS answer after shutdown") {
                _ = try await DNSQuery.query("web.reactor.test", port: port, timeout: .milliseconds(300))
            }
            await balancer.shutdown()  // a second shutdown is harmless
        }
    }

    @Test func dnsmasqLeftByAnEarlierRunIsReplaced() async throws {
        try await withDNSMasq { earlier, port, directory in
            try await earlier.configure([Self.service("dns://web.reactor.test", ["127.0.1.1"])])
            let leftover = try #require(await earlier.processID)
            // A new balancer on the same directory and port, as after a manager restart.
            let later = DNSMasqBalancer(directory: directory, port: port, stopTimeout: .seconds(2))
            do {
                try await later.configure([Self.service("dns://web.reactor.test", ["127.0.1.2"])])
                let reply = try await DNSQuery.query("web.reactor.test", port: port)
                #expect(reply.addresses == ["127.0.1.2"], "expected the new run to serve: \(reply)")
                let current = try #require(await later.processID)
                #expect(
                    current != leftover && dnsmasqProcesses(in: directory) == [current],
                    "expected the earlier dnsmasq \(leftover) replaced by \(current)")
            } catch {
                await later.shutdown()
                throw error
            }
            await later.shutdown()
        }
    }

    @Test func noServiceStartsNothing() async throws {
        try await withDNSMasq { balancer, _, directory in
            try await balancer.configure([])
            #expect(await balancer.processID == nil, "expected no dnsmasq without a service")
            #expect(dnsmasqProcesses(in: directory).isEmpty)
        }
    }

    @Test func ttlSettingIsServedAndAChangeRestarts() async throws {
        try await withDNSMasq { balancer, port, _ in
            try await balancer.configure([
                Self.service("dns://web.reactor.test", ["127.0.1.1"], settings: ["ttl": "30"])
            ])
            let first = try await DNSQuery.query("web.reactor.test", port: port)
            #expect(first.ttls == [30], "expected TTL 30: \(first)")
            try await balancer.configure([Self.service("dns://web.reactor.test", ["127.0.1.1"], settings: ["ttl": "5"])]
            )
            let second = try await DNSQuery.query("web.reactor.test", port: port)
            #expect(second.ttls == [5], "expected TTL 5 after the change: \(second)")
        }
    }

    @Test func badSettingThrowsAndStartsNothing() async throws {
        try await withDNSMasq { balancer, _, directory in
            await #expect(
                throws: DNSMasqBalancerError.invalidSetting(
                    key: "ttl", value: "soon", expected: "a whole number of seconds from 0 to 86400")
            ) {
                try await balancer.configure([
                    Self.service("dns://web.reactor.test", ["127.0.1.1"], settings: ["ttl": "soon"])
                ])
            }
            #expect(await balancer.processID == nil)
            #expect(dnsmasqProcesses(in: directory).isEmpty)
        }
    }

    @Test(arguments: [
        "http://web.reactor.test", "dns://web.reactor.test:53", "dns://web.reactor.test/path", "dns://bad_name",
    ])
    func badURLThrows(url: String) async throws {
        try await withDNSMasq { balancer, _, _ in
            await #expect(throws: DNSMasqBalancerError.invalidURL(url)) {
                try await balancer.configure([Self.service(url, ["127.0.1.1"])])
            }
            #expect(await balancer.processID == nil)
        }
    }
}
