import Foundation
import Testing
import ZooKeeperTesting

#if canImport(Glibc)
import Glibc
#endif

/// HTTPS with a certificate made here (issue 11, point 8) and idle connections closed (point 6),
/// against real `reactor api` processes, with curl and a raw socket.
@Suite("TLS and idle connections", .serialized)
struct TLSAndIdleTests {
    /// A self-signed certificate for 127.0.0.1 and its key, made by `openssl req -x509`.
    static func makeCertificate() async throws -> (certificate: String, key: String) {
        let directory = NSTemporaryDirectory() + "reactor-tls-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificate = directory + "/cert.pem"
        let key = directory + "/key.pem"
        let openssl = try ManagedProcess(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ], logPath: directory + "/openssl.log")
        try await eventually("openssl makes a certificate", timeout: .seconds(60)) { !openssl.isRunning }
        guard openssl.terminationStatus == 0 else { throw LocalServiceError("openssl failed:\n\(openssl.logTail())") }
        return (certificate, key)
    }

    @Test func theAPIServesHTTPSWithTheGivenCertificate() async throws {
        let (certificate, key) = try await Self.makeCertificate()
        let namespace = try await SharedZooKeeper.instance.namespace("tls")
        let port = try LoopbackPorts.free()
        let run = try ReactorProcess.start([
            "api", "--zookeeper", namespace, "--host", "127.0.0.1", "--port", "\(port)", "--tls-cert", certificate,
            "--tls-key", key,
        ])
        try await run.waitListening(port: port)
        let secure = try await Curl.request("https://127.0.0.1:\(port)/v1.1/endpoints", ["--cacert", certificate])
        #expect(secure.status == 200, "HTTPS answers, verified against the test's certificate: \(secure)")
        #expect(secure.body == "[]")
        let unverified = try await Curl.request("https://127.0.0.1:\(port)/")
        #expect(unverified.status == nil, "without the certificate curl refuses it: \(unverified)")
        let plain = try await Curl.request("http://127.0.0.1:\(port)/")
        #expect(plain.status != 200, "no plain HTTP on the TLS port: \(plain)")
        await run.stop()
    }

    @Test func aMissingKeyStopsTheStartSayingWhich() async throws {
        let (certificate, _) = try await Self.makeCertificate()
        let namespace = try await SharedZooKeeper.instance.namespace("tls-bad")
        let run = try ReactorProcess.start([
            "api", "--zookeeper", namespace, "--host", "127.0.0.1", "--port", "\(try LoopbackPorts.free())",
            "--tls-cert", certificate, "--tls-key", "/nonexistent/key.pem",
        ])
        #expect(try await run.exitStatus() == 1, "refused: \(run.log)")
        #expect(run.log.contains("/nonexistent/key.pem"), "names the file: \(run.log)")
    }

    @Test func anIdleConnectionIsClosed() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("idle")
        let port = try LoopbackPorts.free()
        let run = try ReactorProcess.start([
            "api", "--zookeeper", namespace, "--host", "127.0.0.1", "--port", "\(port)", "--idle-timeout", "1",
        ])
        try await run.waitListening(port: port)
        let fd = try #require(LoopbackPorts.connect(port: port), "connects")
        defer { close(fd) }
        let started = ContinuousClock.now
        // Nothing is sent: the API closes the connection after about a second (poll waits at most 10 s).
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 10_000)
        var byte: UInt8 = 0
        let count = ready > 0 ? recv(fd, &byte, 1, 0) : -1
        let waited = ContinuousClock.now - started
        #expect(ready == 1 && count == 0, "the API closed the idle connection (poll \(ready), recv \(count))")
        #expect(waited >= .milliseconds(800) && waited < .seconds(8), "after about --idle-timeout: \(waited)")
        await run.stop()
    }
}
