import Foundation
import Testing
import ZooKeeper
import ZooKeeperTesting

@Suite("Ephemeral nodes")
struct EphemeralTests {
    @Test func ephemeralNodeGoesWithItsSession() async throws {
        try await withTestClient { observer, connectString in
            let owner = try await ZooKeeperClient.connect(.init(connectString: connectString))
            try await owner.create("/lock", data: .init("owner"), mode: .ephemeral)
            let stat = try #require(try await observer.exists("/lock"))
            #expect(stat.isEphemeral)
            #expect(stat.ephemeralOwner == (try owner.sessionID()))
            await expectZooKeeperError(.noChildrenForEphemerals) { try await owner.create("/lock/child") }

            let (_, watch) = try await observer.existsWatching("/lock")
            await owner.close()
            #expect(try await watch.event().kind == .deleted, "closing the session deletes its ephemeral node at once")
            #expect(try await observer.exists("/lock") == nil)
        }
    }

    @Test func ephemeralSequentialNodesAreOrderedAndGo() async throws {
        try await withTestClient { observer, connectString in
            try await observer.create("/members")
            let member = try await ZooKeeperClient.connect(.init(connectString: connectString))
            let first = try await member.create("/members/m-", mode: .ephemeralSequential)
            let second = try await member.create("/members/m-", mode: .ephemeralSequential)
            #expect(first < second)
            await member.close()
            #expect(try await observer.children("/members") == [])
        }
    }

    @Test func ephemeralNodeGoesWhenItsProcessIsKilled() async throws {
        try await withTestClient(sessionTimeout: .seconds(4)) { observer, connectString in
            let logPath = NSTemporaryDirectory() + "reactor-holder-\(UUID().uuidString.prefix(8)).log"
            let holder = try ManagedProcess(
                [
                    try reactorExecutable(), "zk", "create", "/held", "by-process", "--ephemeral", "--hold",
                    "--zookeeper", connectString, "--session-timeout", "3",
                ],
                logPath: logPath)
            try await eventually("the other process creates its ephemeral node") {
                try await observer.exists("/held") != nil
            }
            let stat = try #require(try await observer.exists("/held"))
            #expect(stat.isEphemeral)
            #expect(stat.ephemeralOwner != (try observer.sessionID()), "held by the other process's session")

            let (_, watch) = try await observer.existsWatching("/held")
            let killedAt = ContinuousClock.now
            await holder.kill()  // SIGKILL: no chance to close the session
            #expect(try await watch.event().kind == .deleted)
            let elapsed = ContinuousClock.now - killedAt
            #expect(
                elapsed < .seconds(8), "the server expires the dead session after its 3 s timeout (took \(elapsed))")
            #expect(try await observer.exists("/held") == nil)
        }
    }
}
