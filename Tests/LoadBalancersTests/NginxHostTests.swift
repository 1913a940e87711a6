import Foundation
import ProcessSupport
import Testing

@testable import LoadBalancers

#if canImport(Glibc)
import Glibc
#endif

/// The real nginx as a host's front door for the API: the catch-all URLs, https with a
/// self-signed certificate made on the host or with PEM text, plain HTTP on the TLS port sent on
/// to https, and `active` counted from the kernel's socket table.
@Suite(.serialized, .enabled(if: NginxBalancer.isInstalled(), "nginx is not installed"))
struct NginxHostTests {
    @Test func catchAllHTTPSWithASelfSignedCertificate() async throws {
        try await withNginx { balancer, directory in
            let a = try await HTTPTestBackend.start("A")
            let plain = try freePort()
            let secure = try freePort()
            try await balancer.configure([
                BalancedService(url: "http://:\(plain)", backends: [Backend(ip: a.ip, port: a.port)]),
                BalancedService(url: "https://:\(secure)/", backends: [Backend(ip: a.ip, port: a.port)]),
            ])
            let text = try String(contentsOfFile: directory + "/nginx/nginx.conf", encoding: .utf8)
            #expect(text.contains("listen \(plain) default_server;") && text.contains("server_name _;"), "\(text)")
            // Any host name reaches the catch-all.
            let named = try await curl(["-s", "-H", "Host: anything.example", "http://127.0.0.1:\(plain)/"], directory)
            #expect(named.status == 0 && named.output == "A", "\(named)")
            let tls = try await curl(["-sk", "https://127.0.0.1:\(secure)/"], directory)
            #expect(tls.status == 0 && tls.output == "A", "served over TLS with the host's own pair: \(tls)")
            for file in ["self-signed.pem", "self-signed.key"] {
                var info = stat()
                #expect(
                    stat(directory + "/nginx/tls/\(file)", &info) == 0 && info.st_mode & 0o777 == 0o600,
                    "\(file) is 0600")
            }
            // Plain HTTP sent to the TLS port goes on to https.
            let redirect = try await curl(
                ["-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "http://127.0.0.1:\(secure)/x?y=1"],
                directory)
            #expect(redirect.output == "301 https://127.0.0.1:\(secure)/x?y=1", "\(redirect)")
            await a.stop()
        }
    }

    @Test func pemTextIsWrittenToPrivateFiles() async throws {
        try await withNginx { balancer, directory in
            let made = try await ChildProcess.run(
                [
                    "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=pem.test", "-keyout", directory + "/k.pem", "-out", directory + "/c.pem",
                ], outputPath: directory + "/openssl.out")
            try #require(made.status == 0, "\(made.output)")
            let certificate = try String(contentsOfFile: directory + "/c.pem", encoding: .utf8)
            let key = try String(contentsOfFile: directory + "/k.pem", encoding: .utf8)
            let a = try await HTTPTestBackend.start("A")
            let port = try freePort()
            try await balancer.configure([
                BalancedService(
                    url: "https://127.0.0.1:\(port)/", backends: [Backend(ip: a.ip, port: a.port)],
                    settings: ["ssl_certificate": certificate, "ssl_key": key])
            ])
            let served = try await curl(
                ["-sk", "-w", " %{ssl_verify_result}", "https://127.0.0.1:\(port)/"], directory)
            #expect(served.output.hasPrefix("A"), "\(served)")
            let subject = try await ChildProcess.run(
                [
                    "/bin/sh", "-c",
                    "echo | /usr/bin/openssl s_client -connect 127.0.0.1:\(port) 2>/dev/null | /usr/bin/openssl x509 -noout -subject",
                ], outputPath: directory + "/subject.out")
            #expect(subject.output.contains("pem.test"), "the given certificate is served: \(subject.output)")
            let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/nginx/tls")
            #expect(files.filter { $0.hasSuffix(".pem") || $0.hasSuffix(".key") }.count == 2, "\(files)")
            for file in files where file.hasSuffix(".key") {
                var info = stat()
                #expect(stat(directory + "/nginx/tls/\(file)", &info) == 0 && info.st_mode & 0o777 == 0o600)
                let text = try String(contentsOfFile: directory + "/nginx/tls/\(file)", encoding: .utf8)
                #expect(text == key)
            }
            let conf = try String(contentsOfFile: directory + "/nginx/nginx.conf", encoding: .utf8)
            #expect(!conf.contains("BEGIN"), "no PEM text in nginx.conf")
            await a.stop()
        }
    }

    /// `active`: connections nginx holds to a backend now (with `keepalive = 0`, exactly the
    /// requests in flight).
    @Test func activeCountsConnectionsInFlight() async throws {
        try await withNginx { balancer, _ in
            let a = try await HTTPTestBackend.start("A")
            let port = try freePort()
            try await balancer.configure([
                BalancedService(
                    url: "http://127.0.0.1:\(port)/", backends: [Backend(ip: a.ip, port: a.port)],
                    settings: ["keepalive": "0"])
            ])
            #expect(await balancer.metrics()[a.address]?["active"]?.last == 0)
            let slow = Task { try await httpGet(port: port, path: "/delay/3000", timeout: .seconds(10)) }
            var seen = 0.0
            let deadline = ContinuousClock.now + .seconds(2)
            while ContinuousClock.now < deadline && seen < 1 {
                seen = await balancer.metrics()[a.address]?["active"]?.last ?? 0
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(seen == 1, "one request in flight is one active connection")
            #expect(try await slow.value.status == 200)
            try await Task.sleep(for: .milliseconds(200))
            #expect(await balancer.metrics()[a.address]?["active"]?.last == 0, "none once it is answered")
            await a.stop()
        }
    }

    func curl(_ arguments: [String], _ directory: String) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run(
            ["/usr/bin/curl", "--max-time", "5"] + arguments, outputPath: directory + "/curl-\(UUID().uuidString).out")
    }
}
