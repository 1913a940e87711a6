import Testing
import ZooKeeper
import ZooKeeperTesting

@Suite("Connection and session lifecycle", .serialized)
struct SessionTests {
    @Test func sessionSurvivesAShortServerRestart() async throws {
        let server = try await ZooKeeperServer.start()
        defer { Task { await server.destroy() } }
        let zk = try await ZooKeeperClient.connect(
            .init(connectString: server.connectString, sessionTimeout: .seconds(20)))
        let states = StateRecorder(zk)
        try await zk.create("/mine", data: .init("kept"), mode: .ephemeral)
        try await zk.create("/data", data: .init("durable"))
        let session = try zk.sessionID()

        await server.stop()
        try await states.waitFor(.suspended)
        await expectZooKeeperError(.connectionLoss, "calls fail fast while the server is down") {
            _ = try await zk.get("/data")
        }
        try await server.start()
        try await states.waitFor(.reconnected, timeout: .seconds(30))

        #expect(try zk.sessionID() == session, "the same session resumed")
        #expect(try await zk.get("/mine").string == "kept", "the ephemeral node survived with the session")
        #expect(try await zk.get("/data").string == "durable")
        #expect(!states.seen.contains(.expired))
        #expect(states.seen.first == .connected)
        await zk.close()
        try await states.waitFor(.closed)
    }

    @Test func forcedExpiryIsReportedAndANewSessionFollows() async throws {
        try await withTestClient(sessionTimeout: .seconds(4)) { zk, connectString in
            let observer = try await ZooKeeperClient.connect(.init(connectString: connectString))
            defer { Task { await observer.close() } }
            let states = StateRecorder(zk)
            try await zk.create("/presence", mode: .ephemeral)
            try await zk.create("/watched")
            let (_, watch) = try await zk.getWatching("/watched")
            let oldSession = try zk.sessionID()

            try await zk.injectSessionExpiration()
            try await states.waitFor(.expired)
            await expectZooKeeperError(.sessionExpired, "a watch of the expired session ends with it") {
                _ = try await watch.event()
            }
            #expect(try await observer.exists("/presence") == nil, "the expired session's ephemeral node is gone")

            // The client opens a new session by itself; the owner re-creates what it needs.
            try await states.waitFor(.connected, after: .expired)
            let expiredAt = try #require(states.seen.lastIndex(of: .expired))
            #expect(states.seen[expiredAt...].contains(.connected), "connected comes after expired: \(states.seen)")
            try await eventually("the new session serves calls") {
                (try? await zk.exists("/watched")) != nil
            }
            #expect(try zk.sessionID() != oldSession)
            try await zk.create("/presence", mode: .ephemeral)
            #expect(try await observer.exists("/presence")?.ephemeralOwner == (try zk.sessionID()))
        }
    }

    @Test func expiryWithoutReconnectLeavesTheClientDead() async throws {
        let connectString = try await SharedZooKeeper.instance.namespace("noreconnect")
        let zk = try await ZooKeeperClient.connect(
            .init(connectString: connectString, sessionTimeout: .seconds(4), reconnectAfterExpiry: false))
        let states = StateRecorder(zk)
        try await zk.injectSessionExpiration()
        try await states.waitFor(.expired)
        try await eventually("calls fail with sessionExpired") {
            do {
                _ = try await zk.exists("/")
                return false
            } catch let error as ZooKeeperError {
                return error.code == .sessionExpired
            }
        }
        await zk.close()
    }

    @Test func stateStreamsAreIndependent() async throws {
        let (zk, _) = try await connectedClient()
        let first = StateRecorder(zk)
        let second = StateRecorder(zk)
        try await first.waitFor(.connected)
        try await second.waitFor(.connected)
        await zk.close()
        try await first.waitFor(.closed)
        try await second.waitFor(.closed)
        #expect(zk.state == .closed)
    }
}
