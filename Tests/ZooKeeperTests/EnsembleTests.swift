import Testing
import ZooKeeper
import ZooKeeperTesting

/// Against three real servers: losing any one member (the client's own server, or the leader)
/// leaves the client working and loses no acknowledged write.
@Suite("Three-server ensemble", .serialized)
struct EnsembleTests {
    enum Victim: String, CaseIterable, CustomTestStringConvertible {
        case connectedServer, leader
        var testDescription: String { rawValue }
    }

    @Test(arguments: Victim.allCases)
    func losingOneMemberLosesNothing(victim: Victim) async throws {
        let ensemble = try await ZooKeeperEnsemble.start(size: 3)
        defer { Task { await ensemble.destroy() } }
        let zk = try await ZooKeeperClient.connect(
            .init(connectString: ensemble.connectString, sessionTimeout: .seconds(15), connectTimeout: .seconds(30)))
        let states = StateRecorder(zk)
        try await zk.create("/writes")
        try await zk.create("/alive", mode: .ephemeral)
        let session = try zk.sessionID()

        // A writer keeps writing through the failure; every write it saw acknowledged is recorded.
        let writer = Task { () -> [Int] in
            var acknowledged: [Int] = []
            let retry = RetryPolicy(
                maxAttempts: 100, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200), deadline: .seconds(40))
            for index in 0..<300 {
                do {
                    try await retry.run {
                        do {
                            try await zk.create("/writes/w\(index)", data: .init("\(index)"))
                        } catch let error as ZooKeeperError where error.code == .nodeExists {
                            // An attempt cut off by the failure had in fact been applied.
                        }
                    }
                    acknowledged.append(index)
                } catch {
                    continue
                }
                try? await Task.sleep(for: .milliseconds(5))
            }
            return acknowledged
        }

        try await Task.sleep(for: .milliseconds(500))
        let port = try #require(try zk.connectedServer().flatMap { Int($0.split(separator: ":").last ?? "") })
        let index: Int =
            switch victim {
            case .connectedServer: try #require(ensemble.index(ofPort: port))
            case .leader: try #require(ensemble.leaderIndex)
            }
        await ensemble.servers[index].stop()

        let acknowledged = await writer.value
        #expect(acknowledged.count >= 290, "the client kept working: \(acknowledged.count) of 300 writes acknowledged")

        // Every acknowledged write is there, read back through a fresh client of the survivors.
        let reader = try await ZooKeeperClient.connect(
            .init(connectString: ensemble.connectString, connectTimeout: .seconds(30)))
        let stored = Set(try await reader.children("/writes"))
        let missing = acknowledged.filter { !stored.contains("w\($0)") }
        #expect(missing.isEmpty, "acknowledged writes lost: \(missing)")
        #expect(try await reader.get("/writes/w\(acknowledged.last ?? 0)").string == "\(acknowledged.last ?? 0)")
        #expect(try await reader.exists("/alive") != nil, "the session and its ephemeral node survived")
        #expect(try zk.sessionID() == session)
        #expect(!states.seen.contains(.expired))
        if victim == .connectedServer {
            #expect(states.seen.contains(.suspended), "losing its server suspends the client before it moves on")
            let newPort = try zk.connectedServer().flatMap { Int($0.split(separator: ":").last ?? "") }
            #expect(newPort != port, "the client moved to another member")
        }
        await reader.close()
        await zk.close()
    }
}
