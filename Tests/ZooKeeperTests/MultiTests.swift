import Testing
import ZooKeeper

@Suite("Atomic batches")
struct MultiTests {
    @Test func batchAppliesEverything() async throws {
        try await withTestClient { zk, _ in
            try await zk.create("/old", data: .init("x"))
            try await zk.create("/checked", data: .init("c"))
            let results = try await zk.multi([
                .create(path: "/new", data: .init("n")),
                .create(path: "/new/seq-", mode: .persistentSequential),
                .set(path: "/old", data: .init("y"), version: 0),
                .check(path: "/checked", version: 0),
                .delete(path: "/checked", version: 0),
            ])
            #expect(results.count == 5)
            #expect(results[0] == .created(path: "/new"))
            #expect(results[1] == .created(path: "/new/seq-0000000000"))
            if case .set(let stat) = results[2] {
                #expect(stat.version == 1)
            } else {
                Issue.record("expected a set result, got \(results[2])")
            }
            #expect(results[3] == .checked)
            #expect(results[4] == .deleted)
            #expect(try await zk.get("/old").string == "y")
            #expect(try await zk.exists("/checked") == nil)
        }
    }

    @Test func failingStepAppliesNothing() async throws {
        try await withTestClient { zk, _ in
            try await zk.create("/keep", data: .init("before"))
            try await zk.create("/taken")
            let error = await expectZooKeeperError(.nodeExists) {
                try await zk.multi([
                    .create(path: "/a"),
                    .set(path: "/keep", data: .init("after")),
                    .create(path: "/taken"),
                    .create(path: "/b"),
                ])
            }
            #expect(error?.failedStep == 2, "the third step is the one that failed: \(String(describing: error))")
            #expect(error?.path == "/taken")
            #expect(try await zk.exists("/a") == nil, "an earlier create was rolled back")
            #expect(try await zk.exists("/b") == nil)
            #expect(try await zk.get("/keep").string == "before", "an earlier set was rolled back")
        }
    }

    @Test func versionCheckGuardsTheBatch() async throws {
        try await withTestClient { zk, _ in
            try await zk.create("/epoch", data: .init("1"))
            try await zk.set("/epoch", data: .init("2"))  // version is now 1
            let error = await expectZooKeeperError(.badVersion) {
                try await zk.multi([.check(path: "/epoch", version: 0), .create(path: "/fenced")])
            }
            #expect(error?.failedStep == 0)
            #expect(try await zk.exists("/fenced") == nil)
            try await zk.multi([.check(path: "/epoch", version: 1), .create(path: "/fenced")])
            #expect(try await zk.exists("/fenced") != nil)
        }
    }

    @Test func emptyBatchIsNoOp() async throws {
        try await withTestClient { zk, _ in
            let results = try await zk.multi([])
            #expect(results.isEmpty)
        }
    }
}
