import LoadBalancers
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// How the tcp balancer ends connections: end of input travels through and answers after it still
/// arrive; a side that closes takes the other with it; a backend that never answers is given up.
@Suite struct TCPBalancerCloseTests {
    @Test func theClientsEndOfInputReachesTheBackendWhichMayStillAnswer() async throws {
        let backend = try await TestServer<EchoUntilEndHandler>.start("H")
        let (balancer, port) = try await startBalancer(
            BalancedService(url: loopbackURL, backends: [Backend(ip: backend.ip, port: backend.port)]))
        let client = try TestClient(port: port)
        #expect(try client.readLine() == "H")
        try client.send("ping\n")
        #expect(try client.readLine() == "ping")
        client.shutdownOutput()
        #expect(try client.readLine() == "end", "the backend's answer to the end of input arrives")
        #expect(try client.readLine() == nil, "then the backend's close")
        #expect(await eventually { await balancer.metrics()[backend.address]?["active"]?.last == 0 })
        #expect(await balancer.sessions().isEmpty)
        client.close()
        await balancer.shutdown()
        await backend.stop()
    }

    @Test func aClosingSideClosesTheOther() async throws {
        let closing = try await TestServer<GreetAndCloseHandler>.start("C")
        let (balancer, port) = try await startBalancer(
            BalancedService(url: loopbackURL, backends: [Backend(ip: closing.ip, port: closing.port)]))
        let client = try TestClient(port: port)
        #expect(try client.readToEnd() == "C\n", "the greeting, then the backend's close")
        client.close()
        #expect(await eventually { await balancer.metrics()[closing.address]?["active"]?.last == 0 })

        let echo = try await TestBackend.start("E")
        try await balancer.configure([
            BalancedService(url: loopbackURL, backends: [Backend(ip: echo.ip, port: echo.port)])
        ])
        let port2 = try #require(await balancer.boundPort(for: loopbackURL))
        let second = try TestClient(port: port2)
        #expect(try second.readLine() == "E")
        #expect(await balancer.sessions().count == 1)
        second.close()
        #expect(await eventually { await balancer.sessions().isEmpty }, "the client's close ends the session")
        #expect(await eventually { await balancer.metrics()[echo.address]?["active"]?.last == 0 })
        await balancer.shutdown()
        await closing.stop()
        await echo.stop()
    }

    @Test func shuttingDownClosesOpenSessionsAndTheListener() async throws {
        let backend = try await TestBackend.start("S")
        let (balancer, port) = try await startBalancer(loopbackService([backend]))
        let client = try TestClient(port: port)
        #expect(try client.readLine() == "S")
        await balancer.shutdown()
        #expect(try client.readLine() == nil, "the open session ends with the balancer")
        #expect(throws: TestClient.Failure.self, "nothing listens any more") { try TestClient(port: port) }
        #expect(await balancer.sessions().isEmpty)
        client.close()
        await backend.stop()
    }

    @Test func aBackendThatDoesNotAnswerIsGivenUpAfterTheConnectTimeout() async throws {
        // A listener whose accept queue is full: the kernel drops further connection attempts, so
        // connecting to it neither succeeds nor fails.
        let silent = try FullListener()
        defer { silent.close() }
        let good = try await TestBackend.start("G")
        let balancer = TCPBalancer(connectTimeout: .milliseconds(300))
        let service = BalancedService(
            url: loopbackURL,
            backends: [Backend(ip: "127.0.0.1", port: silent.port), Backend(ip: good.ip, port: good.port)])
        try await balancer.configure([service])
        let port = try #require(await balancer.boundPort(for: loopbackURL))
        var longest = Duration.zero
        for round in 0..<4 {
            let started = ContinuousClock.now
            #expect(try greeting(port: port) == "G", "round \(round): served by the backend that answers")
            longest = max(longest, ContinuousClock.now - started)
        }
        #expect(longest >= .milliseconds(250), "a connection waited for the silent backend's timeout")
        #expect(longest < .seconds(2), "and was then served without further delay")
        let errors = await balancer.metrics()["127.0.0.1:\(silent.port)"]?["errors"]?.last ?? 0
        #expect(errors >= 1, "timed-out attempts count as errors of the silent backend")
        #expect(await balancer.metrics()["127.0.0.1:\(silent.port)"]?["active"]?.last == 0)
        await balancer.shutdown()
        await good.stop()
    }
}

/// A loopback listener that never accepts, with its accept queue filled.
private final class FullListener {
    let port: Int
    private let fd: Int32
    private let fillers: [Int32]

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        listen(fd, 0)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        var fillers: [Int32] = []
        // Non-blocking connects until the queue is full (the first ones complete, later ones hang).
        for _ in 0..<4 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue), 0)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            fillers.append(filler)
        }
        self.fillers = fillers
        usleep(100_000)
    }

    func close() {
        for filler in fillers { Glibc.close(filler) }
        Glibc.close(fd)
    }
}
