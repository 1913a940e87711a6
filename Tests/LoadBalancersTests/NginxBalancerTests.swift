import ProcessSupport
import Testing

@testable import LoadBalancers

#if canImport(Glibc)
import Glibc
#endif

/// The nginx balancer against the real nginx binary: routing by weight, live changes, stickiness,
/// metrics from the access log, rejected configurations and shutdown.
@Suite(.serialized, .enabled(if: NginxBalancer.isInstalled(), "nginx is not installed"))
struct NginxBalancerTests {
    @Test func requestsSplitByWeight() async throws {
        try await withNginx { balancer, _ in try await checks(balancer).splitByWeight() }
    }

    @Test func backendChangesApplyWithinASecondWithoutFailedRequests() async throws {
        try await withNginx { balancer, _ in
            try await checks(balancer).backendChangesApplyWithinASecondWithoutFailures()
        }
    }

    @Test func stickySessionsKeepEachClientOnOneBackend() async throws {
        try await withNginx { balancer, _ in try await checks(balancer).stickySessionsKeepEachClientOnOneBackend() }
    }

    @Test func metricsReportRateResponseBytesAndErrors() async throws {
        try await withNginx { balancer, _ in
            let a = try await HTTPTestBackend.start("A")
            let dead = try await HTTPTestBackend.start("dead")
            await dead.stop()
            let port = try freePort()
            try await balancer.configure([
                BalancedService(
                    url: "http://127.0.0.1:\(port)/",
                    backends: [
                        Backend(ip: a.ip, port: a.port, weight: 3), Backend(ip: dead.ip, port: dead.port, weight: 1),
                    ])
            ])
            _ = await balancer.metrics()  // starts the measuring interval
            for _ in 0..<8 {
                let response = try await httpGet(port: port, path: "/delay/30")
                #expect(
                    response.status == 200 && response.body == "A", "a dead backend is skipped, the live one answers")
            }
            // nginx writes the log line after the response; give it a moment.
            try await Task.sleep(for: .milliseconds(100))
            let metrics = await balancer.metrics()
            let live = try #require(metrics[a.address], "the live backend should be reported: \(metrics)")
            #expect(live["rate"]?.first == 3, "the weight is the backend's: \(live)")
            #expect((live["rate"]?.last ?? 0) > 0, "requests should give a rate: \(live)")
            #expect((live["response"]?.last ?? 0) >= 25, "30 ms responses should average at least 25 ms: \(live)")
            #expect((live["bytes"]?.last ?? 0) > 0, "bytes should be counted: \(live)")
            #expect(live["errors"]?.last == 0)
            #expect((metrics[dead.address]?["errors"]?.last ?? 0) >= 1, "connect failures count as errors: \(metrics)")

            let idle = try #require(await balancer.metrics()[a.address])
            #expect(idle["rate"]?.last == 0 && idle["bytes"]?.last == 0, "no traffic since the last call: \(idle)")
            await a.stop()
        }
    }

    @Test func aRejectedConfigurationThrowsAndThePreviousOneKeepsServing() async throws {
        try await withNginx { balancer, directory in
            let a = try await HTTPTestBackend.start("A")
            let port = try freePort()
            let working = BalancedService(url: "http://127.0.0.1:\(port)/", backends: [Backend(ip: a.ip, port: a.port)])
            try await balancer.configure([working])
            #expect(try await httpGet(port: port).body == "A")

            let secure = BalancedService(
                url: "https://127.0.0.1:\(try freePort())/", backends: [Backend(ip: a.ip, port: a.port)],
                settings: ["ssl_certificate": directory + "/missing.pem", "ssl_key": directory + "/missing.key"])
            do {
                try await balancer.configure([working, secure])
                Issue.record("a missing certificate should make configure throw")
            } catch let error as NginxBalancerError {
                guard case .rejected(let message) = error else {
                    Issue.record("expected .rejected, got \(error)")
                    return
                }
                #expect(message.contains("missing.pem"), "nginx's message should name the file: \(message)")
            }
            #expect(try await httpGet(port: port).body == "A", "the previous configuration keeps serving")

            await #expect(
                throws: NginxBalancerError.invalidSetting(
                    key: "keepalive", value: "many", expected: "a whole number from 0 to 10000")
            ) {
                try await balancer.configure([
                    BalancedService(url: working.url, backends: working.backends, settings: ["keepalive": "many"])
                ])
            }
            await #expect(throws: NginxBalancerError.invalidURL("tcp://8080")) {
                try await balancer.configure([BalancedService(url: "tcp://8080", backends: [])])
            }
            #expect(try await httpGet(port: port).body == "A", "still the previous configuration")
            await a.stop()
        }
    }

    @Test func aServiceWithoutBackendsAnswers503OrRedirects() async throws {
        try await withNginx { balancer, _ in
            let port = try freePort()
            try await balancer.configure([
                BalancedService(url: "http://127.0.0.1:\(port)/", backends: []),
                BalancedService(
                    url: "http://127.0.0.1:\(port)/moved", backends: [], redirect: "https://example.com/sorry"),
            ])
            #expect(try await httpGet(port: port).status == 503)
            let moved = try await httpGet(port: port, path: "/moved/page")
            #expect(moved.status == 302 && moved.headers["location"] == "https://example.com/sorry", "got \(moved)")
        }
    }

    @Test func httpsUsesTheCertificateFromSettings() async throws {
        try await withNginx { balancer, directory in
            let certificate = directory + "/web.pem"
            let key = directory + "/web.key"
            let made = try await ChildProcess.run(
                [
                    "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=localhost",
                    "-keyout", key, "-out", certificate,
                ],
                outputPath: directory + "/openssl.out")
            try #require(made.status == 0, "openssl should make a certificate: \(made.output)")
            let a = try await HTTPTestBackend.start("A")
            let port = try freePort()
            try await balancer.configure([
                BalancedService(
                    url: "https://127.0.0.1:\(port)/", backends: [Backend(ip: a.ip, port: a.port)],
                    settings: ["ssl_certificate": certificate, "ssl_key": key])
            ])
            let curl = try await ChildProcess.run(
                ["/usr/bin/curl", "-sk", "--max-time", "5", "https://127.0.0.1:\(port)/"],
                outputPath: directory + "/curl.out")
            #expect(curl.status == 0 && curl.output == "A", "curl over TLS should reach A: \(curl)")
            await a.stop()
        }
    }

    /// The original Reactor's `ssl = true` on an http:// URL, no certificate named: TLS with a
    /// self-signed pair made on this host.
    @Test func sslOnAnHTTPURLServesTLSWithASelfSignedPair() async throws {
        try await withNginx { balancer, directory in
            let a = try await HTTPTestBackend.start("A")
            let port = try freePort()
            try await balancer.configure([
                BalancedService(
                    url: "http://127.0.0.1:\(port)/", backends: [Backend(ip: a.ip, port: a.port)],
                    settings: ["ssl": "true"])
            ])
            let curl = try await ChildProcess.run(
                ["/usr/bin/curl", "-sk", "--max-time", "5", "https://127.0.0.1:\(port)/"],
                outputPath: directory + "/curl.out")
            #expect(curl.status == 0 && curl.output == "A", "curl over TLS should reach A: \(curl)")
            await a.stop()
        }
    }

    @Test func shutdownStopsTheMasterAndItsWorkers() async throws {
        try await withNginx { balancer, _ in
            let port = try freePort()
            try await balancer.configure([BalancedService(url: "http://127.0.0.1:\(port)/", backends: [])])
            let master = try #require(await balancer.masterPID)
            let workers = ProcessTable.children(of: master).map(\.pid)
            #expect(!workers.isEmpty)
            await balancer.shutdown()
            #expect(!ProcessTable.isAlive(master), "the master should be gone")
            #expect(workers.allSatisfy { !ProcessTable.isAlive($0) }, "the workers should be gone")
            #expect(await balancer.masterPID == nil)
        }
    }

    private func checks(_ balancer: NginxBalancer) -> ProcessBalancerChecks<NginxBalancer> {
        ProcessBalancerChecks(balancer: balancer, url: { "http://127.0.0.1:\($0)/" }, unit: "request")
    }
}
