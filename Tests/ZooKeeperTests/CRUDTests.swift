import Testing
import ZooKeeper

@Suite("Create, read, update, delete")
struct CRUDTests {
    @Test func createGetSetDelete() async throws {
        try await withTestClient { zk, _ in
            let created = try await zk.create("/node", data: .init("one"))
            #expect(created == "/node")
            let first = try await zk.get("/node")
            #expect(first.string == "one")
            #expect(first.stat.version == 0)
            #expect(first.stat.dataLength == 3)
            #expect(!first.stat.isEphemeral)

            let stat = try await zk.set("/node", data: .init("two"))
            #expect(stat.version == 1)
            #expect(try await zk.get("/node").string == "two")

            #expect(try await zk.exists("/node")?.version == 1)
            try await zk.delete("/node")
            #expect(try await zk.exists("/node") == nil, "the node is gone after delete")
            await expectZooKeeperError(.noNode) { _ = try await zk.get("/node") }
            await expectZooKeeperError(.noNode) { try await zk.delete("/node") }
        }
    }

    @Test func emptyAndBinaryData() async throws {
        try await withTestClient { zk, _ in
            try await zk.create("/empty")
            #expect(try await zk.get("/empty").bytes == [])
            let binary: [UInt8] = [0, 1, 2, 255, 0, 128]
            try await zk.set("/empty", data: binary)
            #expect(try await zk.get("/empty").bytes == binary)
        }
    }

    @Test func createExistingNodeFails() async throws {
        try await withTestClient { zk, _ in
            try await zk.create("/dup")
            await expectZooKeeperError(.nodeExists) { try await zk.create("/dup") }
        }
    }

    @Test func compareAndSetConflictIsBadVersion() async throws {
        try await withTestClient { zk, _ in
            try await zk.create("/cas", data: .init("v0"))
            let read = try await zk.get("/cas")
            // Another writer gets there first.
            try await zk.set("/cas", data: .init("other"), version: read.stat.version)
            let error = await expectZooKeeperError(.badVersion) {
                try await zk.set("/cas", data: .init("mine"), version: read.stat.version)
            }
            #expect(error?.isRetriable == false)
            #expect(try await zk.get("/cas").string == "other", "the losing write changed nothing")
            await expectZooKeeperError(.badVersion) { try await zk.delete("/cas", version: 0) }
            try await zk.delete("/cas", version: 1)
        }
    }

    @Test func childrenAndParents() async throws {
        try await withTestClient { zk, _ in
            await expectZooKeeperError(.noNode) { try await zk.create("/a/b/c") }
            try await zk.create("/a/b/c", data: .init("deep"), createParents: true)
            #expect(try await zk.get("/a/b/c").string == "deep")
            try await zk.create("/a/b/d")
            #expect(try await zk.children("/a/b").sorted() == ["c", "d"])
            #expect(try await zk.children("/a/b/c") == [])
            await expectZooKeeperError(.notEmpty) { try await zk.delete("/a") }
            try await zk.deleteRecursive("/a")
            #expect(try await zk.exists("/a") == nil)
            try await zk.deleteRecursive("/a")  // already gone: not an error
        }
    }

    @Test func sequentialNamesAreOrdered() async throws {
        try await withTestClient { zk, _ in
            try await zk.create("/queue")
            var created: [String] = []
            for _ in 0..<12 {
                created.append(try await zk.create("/queue/item-", mode: .persistentSequential))
            }
            let numbers = created.map { Int($0.suffix(10)) ?? -1 }
            #expect(numbers == Array(0..<12), "sequence numbers count up from 0: \(created)")
            #expect(created.allSatisfy { $0.hasPrefix("/queue/item-") && $0.count == "/queue/item-".count + 10 })
            #expect(try await zk.children("/queue").sorted() == created.map { ZNodePath.name(of: $0) })

            // Concurrent creators still get distinct, increasing numbers.
            let concurrent = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 { group.addTask { try await zk.create("/queue/c-", mode: .persistentSequential) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(concurrent).count == 20)
            let suffixes = concurrent.map { Int($0.suffix(10)) ?? -1 }.sorted()
            #expect(suffixes == Array(12..<32), "the counter is per parent and shared by all creators")
        }
    }

    @Test func manyConcurrentOperations() async throws {
        try await withTestClient { zk, _ in
            try await zk.create("/many")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    group.addTask { try await zk.create("/many/n\(index)", data: .init("\(index)")) }
                }
                try await group.waitForAll()
            }
            let values = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for index in 0..<200 { group.addTask { (index, try await zk.get("/many/n\(index)").string) } }
                return try await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
            }
            #expect(values.count == 200)
            #expect(values.allSatisfy { $0.value == "\($0.key)" })
        }
    }
}
