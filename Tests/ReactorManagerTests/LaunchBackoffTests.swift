import Foundation
import Testing
import ZooKeeperTesting

/// An instance command that exits at once is not restarted every pass: launches are held back
/// longer after each failure.
@Suite("Launch backoff", .serialized)
struct LaunchBackoffTests {
    @Test func instancesThatKeepFailingAreRelaunchedLessAndLessOften() async throws {
        let reactor = try await APIAndManager.start("launch-backoff", manager: "backoff", interval: "0.2")
        let api = reactor.api
        let manager = reactor.manager
        let http = reactor.http
        defer { reactor.killInstances() }
        do {
            try await eventually("the API answers") { (try? await http.get("/"))?.status == 200 }
            let config: [String: Any] = [
                "endpoint": ["cloud": "process", "port": "8000"],
                "scaling": ["min_instances": "1", "max_instances": "1"],
                "cloud:process": ["command": "echo cannot open the database; exit 3", "addresses": "127.0.9.0/24"],
            ]
            #expect(try await http.post("/v1.1/endpoints/crashy", config).status == 200)
            #expect(try await http.post("/v1.1/endpoints/crashy/state", ["action": "start"]).status == 200)
            // 6 s at a 0.2 s interval: a failed instance is replaced in the pass that finds it, so
            // about 30 launches without a hold; held back 0.2, 0.4, 0.8, 1.6, 3.2 s after each
            // failure, about 6.
            try await Task.sleep(for: .seconds(6))
            let log = try await http.get("/v1.1/endpoints/crashy/log").json as? [[Any]] ?? []
            let messages = log.compactMap { $0.last as? String }
            let launches = messages.filter { $0.contains("launched instance") }.count
            #expect(launches >= 2, "it is still relaunched: \(messages)")
            #expect(launches <= 10, "but less and less often: \(launches) launches in 6 s")
            #expect(messages.contains { $0.contains("instance failure(s) in a row: no launch for") }, "\(messages)")
            // The endpoint's log says how the instance ended, what it said last and where its log is.
            let failure = messages.first { $0.contains("failed: ") }
            #expect(
                failure?.contains("exited with status 3") == true, "the exit status: \(String(describing: failure))")
            #expect(failure?.contains("last output: cannot open the database") == true, "its output: \(messages)")
            #expect(failure?.contains(".log)") == true, "and the path of its log file: \(String(describing: failure))")
        } catch {
            Issue.record("manager log:\n\(manager.logTail(30))")
            await manager.kill()
            await api.kill()
            throw error
        }
        _ = try? await http.post("/v1.1/endpoints/crashy/state", ["action": "stop"])
        await manager.kill()
        await api.kill()
    }
}
