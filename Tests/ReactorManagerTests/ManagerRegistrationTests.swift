import Foundation
import ReactorManager
import ReactorStore
import Testing
import ZooKeeperTesting

/// The manager's own registration (`managers/keys/<uuid>`): made when it starts, made again
/// when it disappears while the session lives.
@Suite("Manager registration")
struct ManagerRegistrationTests {
    @Test(.timeLimit(.minutes(1))) func aRemovedRegistrationIsMadeAgainAtOnce() async throws {
        let clock = ManualClock()
        let (zk, store, service) = try await ManagerLifecycleTests.manager("re-register", clock: LoopClock(clock))
        let running = Task { try await service.run() }
        defer { running.cancel() }
        try await eventually("registered and waiting on the clock") {
            try await store.activeManagers().count == 1 && clock.sleepers == 1
        }
        let id = try #require(try await store.activeManagers().first)
        try await store.unregisterManager(id: id)
        // The clock stands still: only the membership watch can wake the pass that registers again.
        try await eventually("registered again under the same uuid") { try await store.activeManagers() == [id] }
        running.cancel()
        _ = await running.result
        await zk.close()
    }
}
