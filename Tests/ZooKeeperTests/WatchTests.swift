import Testing
import ZooKeeper

@Suite("Watches")
struct WatchTests {
    @Test func dataWatchFiresOncePerChange() async throws {
        try await withTestClient { zk, connectString in
            try await zk.create("/watched", data: .init("0"))
            let writer = try await ZooKeeperClient.connect(.init(connectString: connectString))
            defer { Task { await writer.close() } }

            var seen: [String] = []
            for round in 1...3 {
                let (node, watch) = try await zk.getWatching("/watched")
                seen.append(node.string)
                #expect(!watch.hasFired)
                try await writer.set("/watched", data: .init("\(round)"))
                let event = try await watch.event()
                #expect(event == WatchEvent(kind: .dataChanged, path: "/watched"))
            }
            #expect(seen == ["0", "1", "2"])

            // Without re-arming, a further change is not delivered: the watch is one-shot.
            let (_, watch) = try await zk.getWatching("/watched")
            try await writer.set("/watched", data: .init("4"))
            _ = try await watch.event()
            try await writer.set("/watched", data: .init("5"))
            try await Task.sleep(for: .milliseconds(300))
            #expect(watch.hasFired)
            #expect(try await watch.event().kind == .dataChanged, "the same single event is returned again")

            let (_, deletion) = try await zk.getWatching("/watched")
            try await writer.delete("/watched")
            #expect(try await deletion.event() == WatchEvent(kind: .deleted, path: "/watched"))
        }
    }

    /// Copies of one `Watch` shared by several tasks: each waiting task gets the event, and one
    /// that is cancelled leaves the others waiting.
    @Test(.timeLimit(.minutes(1))) func severalTasksWaitOnOneWatch() async throws {
        try await withTestClient { zk, _ in
            try await zk.create("/shared")
            let (_, watch) = try await zk.getWatching("/shared")
            let first = Task { try await watch.event() }
            let second = Task { try await watch.event() }
            let cancelled = Task { try await watch.event() }
            try await Task.sleep(for: .milliseconds(200))
            cancelled.cancel()
            await #expect(throws: CancellationError.self) { try await cancelled.value }
            #expect(!watch.hasFired, "a cancelled wait leaves the watch set")
            try await zk.set("/shared", data: .init("x"))
            #expect(try await first.value.kind == .dataChanged)
            #expect(try await second.value.kind == .dataChanged)
        }
    }

    @Test func twoChangesBeforeReArmGiveOneEvent() async throws {
        try await withTestClient { zk, _ in
            try await zk.create("/burst")
            let (_, watch) = try await zk.getWatching("/burst")
            try await zk.set("/burst", data: .init("a"))
            try await zk.set("/burst", data: .init("b"))
            #expect(try await watch.event().kind == .dataChanged)
            // The next watch sees the latest data and waits for a new change.
            let (node, next) = try await zk.getWatching("/burst")
            #expect(node.string == "b")
            try await Task.sleep(for: .milliseconds(200))
            #expect(!next.hasFired, "no event without a change after re-arming")
        }
    }

    @Test func childWatchFiresOncePerChange() async throws {
        try await withTestClient { zk, _ in
            try await zk.create("/parent")
            let (initial, watch) = try await zk.childrenWatching("/parent")
            #expect(initial == [])
            try await zk.create("/parent/a")
            #expect(try await watch.event() == WatchEvent(kind: .childrenChanged, path: "/parent"))

            let (afterAdd, removal) = try await zk.childrenWatching("/parent")
            #expect(afterAdd == ["a"])
            // A data change of the parent is not a child event.
            try await zk.set("/parent", data: .init("x"))
            try await Task.sleep(for: .milliseconds(200))
            #expect(!removal.hasFired, "data changes do not fire child watches")
            try await zk.delete("/parent/a")
            #expect(try await removal.event().kind == .childrenChanged)
        }
    }

    @Test func existenceWatchSeesCreation() async throws {
        try await withTestClient { zk, _ in
            let (stat, watch) = try await zk.existsWatching("/later")
            #expect(stat == nil)
            try await zk.create("/later", mode: .ephemeral)
            #expect(try await watch.event() == WatchEvent(kind: .created, path: "/later"))
            let (present, gone) = try await zk.existsWatching("/later")
            #expect(present != nil)
            try await zk.delete("/later")
            #expect(try await gone.event().kind == .deleted)
        }
    }

    @Test func watchOnMissingNodeFailsWithoutLeaking() async throws {
        try await withTestClient { zk, _ in
            await expectZooKeeperError(.noNode) { _ = try await zk.getWatching("/missing") }
            await expectZooKeeperError(.noNode) { _ = try await zk.childrenWatching("/missing") }
        }
    }

    @Test func pendingWatchEndsWhenClientCloses() async throws {
        let (zk, _) = try await connectedClient()
        try await zk.create("/w")
        let (_, watch) = try await zk.getWatching("/w")
        await zk.close()
        await expectZooKeeperError(.clientClosed) { _ = try await watch.event() }
    }

    @Test func cancellingTheWaiterKeepsTheWatch() async throws {
        try await withTestClient { zk, _ in
            try await zk.create("/c")
            let (_, watch) = try await zk.getWatching("/c")
            let waiter = Task { try await watch.event() }
            try await Task.sleep(for: .milliseconds(100))
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            try await zk.set("/c", data: .init("x"))
            #expect(try await watch.event().kind == .dataChanged)
        }
    }

    @Test func waitingFromAnAlreadyCancelledTaskEndsAtOnce() async throws {
        try await withTestClient { zk, _ in
            try await zk.create("/cancelled")
            let (_, watch) = try await zk.getWatching("/cancelled")
            let waiter = Task { () async throws -> WatchEvent in
                withUnsafeCurrentTask { $0?.cancel() }
                return try await watch.event()
            }
            await #expect(throws: CancellationError.self, "a cancelled waiter must not wait forever") {
                try await waiter.value
            }
        }
    }
}
