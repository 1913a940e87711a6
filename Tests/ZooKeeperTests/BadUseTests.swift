import Testing
import ZooKeeper
import ZooKeeperTesting

@Suite("Bad use is a typed error")
struct BadUseTests {
    static let invalidPaths = [
        "", "relative", "/trailing/", "/a//b", "/a/../b", "/..", "/a/.", "/nul\u{0}byte", "/ctl\u{1}x",
        "/private\u{E000}use", "/astral\u{1F600}",
    ]

    @Test(arguments: invalidPaths)
    func invalidPathsAreRejected(path: String) async throws {
        try await withTestClient("invalid-path") { zk, _ in
            await expectZooKeeperError(.invalidPath, "create \(path.debugDescription)") { try await zk.create(path) }
            await expectZooKeeperError(.invalidPath, "get \(path.debugDescription)") { _ = try await zk.get(path) }
            await expectZooKeeperError(.invalidPath, "set") { try await zk.set(path, data: []) }
            await expectZooKeeperError(.invalidPath, "delete") { try await zk.delete(path) }
            await expectZooKeeperError(.invalidPath, "exists") { _ = try await zk.exists(path) }
            await expectZooKeeperError(.invalidPath, "children") { _ = try await zk.children(path) }
            await expectZooKeeperError(.invalidPath, "watch") { _ = try await zk.getWatching(path) }
            await expectZooKeeperError(.invalidPath, "multi") { try await zk.multi([.create(path: path)]) }
        }
    }

    @Test func pathValidationRules() throws {
        for path in ["/", "/a", "/a/b-c_d.e", "/ünïcode", "/a.b/..c/...", "/sp ace"] {
            #expect(throws: Never.self, "\(path) is valid") { try ZNodePath.validate(path) }
        }
        #expect(throws: Never.self) { try ZNodePath.validate("/queue/", allowTrailingSlash: true) }
        let error = #expect(throws: ZooKeeperError.self) { try ZNodePath.validate("a/b") }
        #expect(
            error?.message.contains("must start with '/'") == true,
            "the message says what is wrong: \(String(describing: error))")
        #expect(ZNodePath.parent(of: "/a/b") == "/a")
        #expect(ZNodePath.parent(of: "/a") == "/")
        #expect(ZNodePath.name(of: "/a/b") == "b")
        #expect(ZNodePath.join("/", "x") == "/x")
    }

    @Test func dataOverOneMebibyteIsRefused() async throws {
        try await withTestClient { zk, _ in
            let tooLarge = [UInt8](repeating: 7, count: 1024 * 1024 + 1)
            let error = await expectZooKeeperError(.dataTooLarge) { try await zk.create("/big", data: tooLarge) }
            #expect(error?.message.contains("1048577 bytes") == true, "\(String(describing: error))")
            await expectZooKeeperError(.dataTooLarge) { try await zk.multi([.create(path: "/big", data: tooLarge)]) }
            try await zk.create("/big")
            await expectZooKeeperError(.dataTooLarge) { try await zk.set("/big", data: tooLarge) }

            // Just under the limit is stored and read back whole.
            let large = [UInt8](repeating: 9, count: 1_000_000)
            try await zk.set("/big", data: large)
            #expect(try await zk.get("/big").bytes == large)
            #expect(zk.state == .connected, "the connection is unharmed")
        }
    }

    @Test func closedClientRefusesCalls() async throws {
        let (zk, _) = try await connectedClient()
        await zk.close()
        await zk.close()  // twice is fine
        await expectZooKeeperError(.clientClosed) { _ = try await zk.get("/") }
        await expectZooKeeperError(.clientClosed) { try await zk.create("/x") }
        await expectZooKeeperError(.clientClosed) { _ = try await zk.childrenWatching("/") }
        await expectZooKeeperError(.clientClosed) { try await zk.multi([.create(path: "/x")]) }
    }

    /// `zookeeper_close` can drop calls it holds without completing them; each must still end,
    /// with its answer or `clientClosed`. (`scripts/loop-test` runs this 500 times.)
    @Test(.timeLimit(.minutes(1))) func callsInFlightWhenClosingFailCleanly() async throws {
        let (zk, _) = try await connectedClient()
        try await zk.create("/n")
        let calls = (0..<50).map { _ in Task { try await zk.get("/n") } }
        await zk.close()
        for call in calls {
            do {
                _ = try await call.value
            } catch let error as ZooKeeperError {
                #expect(error.code == .clientClosed, "a call cut short by close says so: \(error)")
            }
        }
    }

    @Test(.timeLimit(.minutes(1))) func callsInFlightAtSessionExpiryFailCleanly() async throws {
        try await withTestClient(sessionTimeout: .seconds(4)) { zk, _ in
            try await zk.create("/n")
            let calls = (0..<50).map { _ in Task { try await zk.get("/n") } }
            try await zk.injectSessionExpiration()
            for call in calls {
                do {
                    _ = try await call.value
                } catch let error as ZooKeeperError {
                    #expect(
                        [.sessionExpired, .connectionLoss].contains(error.code),
                        "a call cut short by the expiry says so: \(error)")
                }
            }
        }
    }

    /// Calls in flight when the connection is lost (the server killed) each end, with their answer
    /// or a typed `connectionLoss`, well before the session could expire.
    @Test(.timeLimit(.minutes(1))) func callsInFlightAtConnectionLossFailCleanly() async throws {
        let server = try await ZooKeeperServer.start()
        defer { Task { await server.destroy() } }
        let zk = try await ZooKeeperClient.connect(
            .init(connectString: server.connectString, sessionTimeout: .seconds(30)))
        defer { Task { await zk.close() } }
        try await zk.create("/n", data: Array(repeating: 7, count: 4096))
        let calls = (0..<200).map { index in
            Task { () async throws -> Int in
                if index % 2 == 0 { return try await zk.get("/n").bytes.count }
                return Int(try await zk.set("/n", data: [UInt8(index % 256)]).version)
            }
        }
        await server.stop()
        let started = ContinuousClock.now
        var failed = 0
        for call in calls {
            do {
                _ = try await call.value
            } catch let error as ZooKeeperError {
                failed += 1
                #expect(error.code == .connectionLoss, "a call cut short by the lost connection says so: \(error)")
            }
        }
        let waited = ContinuousClock.now - started
        #expect(waited < .seconds(20), "every call ended long before the session timeout: \(waited), \(failed) failed")
    }

    @Test func unreachableEnsembleTimesOut() async throws {
        let port = try LoopbackPorts.free()
        let started = ContinuousClock.now
        let error = await expectZooKeeperError(.connectTimeout) {
            _ = try await ZooKeeperClient.connect(
                .init(connectString: "127.0.0.1:\(port)", connectTimeout: .seconds(2)))
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .seconds(2) && elapsed < .seconds(8), "gave up after the timeout (\(elapsed))")
        #expect(
            error?.message.contains("127.0.0.1:\(port)") == true,
            "the message names the ensemble: \(String(describing: error))")
    }

    @Test func unusableConnectStringIsRejected() async throws {
        await expectZooKeeperError(.badArguments) {
            _ = try await ZooKeeperClient.connect(.init(connectString: "", connectTimeout: .seconds(2)))
        }
    }

    @Test func retryPolicyRetriesOnlyTransientErrors() async throws {
        let policy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5))
        var attempts = 0
        let value = try await policy.run { () async throws -> Int in
            attempts += 1
            if attempts < 3 { throw ZooKeeperError(.connectionLoss, message: "lost") }
            return 42
        }
        #expect(value == 42)
        #expect(attempts == 3)

        attempts = 0
        await expectZooKeeperError(.noNode) {
            _ = try await policy.run { () async throws -> Int in
                attempts += 1
                throw ZooKeeperError(.noNode, message: "missing")
            }
        }
        #expect(attempts == 1, "noNode is not retried")

        attempts = 0
        await expectZooKeeperError(.connectionLoss) {
            _ = try await policy.run { () async throws -> Int in
                attempts += 1
                throw ZooKeeperError(.connectionLoss, message: "lost")
            }
        }
        #expect(attempts == 4, "gives up after maxAttempts")
        #expect(policy.delay(afterAttempt: 1) == .milliseconds(1))
        #expect(policy.delay(afterAttempt: 10) == .milliseconds(5), "capped at maxDelay")
        #expect(!ZooKeeperError(.sessionExpired, message: "").isRetriable)
    }

    @Test func conflictsAreTriedFiveTimesAtOnceAndOnlyWhatTheAttemptSays() async throws {
        var attempts = 0
        await expectZooKeeperError(.badVersion) {
            try await RetryPolicy.conflicts.run(retrying: [.badVersion]) {
                attempts += 1
                throw ZooKeeperError(.badVersion, message: "raced")
            }
        }
        #expect(attempts == 5, "five attempts, the last error thrown")

        attempts = 0
        await expectZooKeeperError(.connectionLoss) {
            try await RetryPolicy.conflicts.run(retrying: [.badVersion]) {
                attempts += 1
                throw ZooKeeperError(.connectionLoss, message: "lost")
            }
        }
        #expect(attempts == 1, "only the codes named are retried")

        attempts = 0
        let value = try await RetryPolicy.conflicts.repeating { () async throws -> RetryPolicy.Attempt<Int> in
            attempts += 1
            return attempts < 3 ? .again(ZooKeeperError(.nodeExists, message: "taken")) : .done(attempts)
        }
        #expect(value == 3, "the attempt's own verdict decides: done on the third")
        await expectZooKeeperError(.noNode) {
            _ = try await RetryPolicy.conflicts.repeating { () async throws -> RetryPolicy.Attempt<Int> in
                throw ZooKeeperError(.noNode, message: "a read failed")
            }
        }
    }
}
