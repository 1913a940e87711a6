import Foundation
import ReactorStore
import Testing
import ZooKeeperTesting

/// `reactor log NAME --follow` goes on reading the endpoint's log after the endpoint is renamed.
@Suite struct LogFollowRenameTests {
    @Test func aFollowedLogSurvivesARename() async throws {
        try await LiveAPI.with("cli-log-rename") { api in
            #expect(try await api.run("endpoints", "create", "web").status == 0)
            let output = NSTemporaryDirectory() + "reactor-log-follow-\(UUID().uuidString.prefix(8)).log"
            let follow = try ManagedProcess(
                [try reactorExecutable(), "log", "web", "--follow", "--interval", "0.2"],
                environment: ["REACTOR_API": api.url], logPath: output)
            defer { try? FileManager.default.removeItem(atPath: output) }
            do {
                let id = try await api.store.endpointID(named: "web")
                try await api.store.appendEndpointLog(
                    LogEntry(timestamp: Date().timeIntervalSince1970, severity: .info, message: "before the rename"),
                    id: id, name: "web")
                try await eventually("the follow prints the first entry") {
                    follow.logTail(20).contains("before the rename")
                }
                #expect(try await api.run("endpoints", "rename", "web", "web2").status == 0)
                try await Task.sleep(for: .milliseconds(600))  // a poll or two under the old name
                try await api.store.appendEndpointLog(
                    LogEntry(timestamp: Date().timeIntervalSince1970 + 1, severity: .info, message: "after the rename"),
                    id: id, name: "web2")
                try await eventually("the follow prints the entry made under the new name", timeout: .seconds(20)) {
                    follow.logTail(20).contains("after the rename")
                }
                #expect(follow.isRunning, "still following: \(follow.logTail(20))")
                #expect(follow.logTail(20).contains("now 'web2'"), "says where it went: \(follow.logTail(20))")
            } catch {
                Issue.record("reactor log output:\n\(follow.logTail(30))")
                await follow.kill()
                throw error
            }
            await follow.kill()
        }
    }
}
