import Foundation
import Testing
import ZooKeeperTesting

#if canImport(Glibc)
import Glibc
#endif

/// One endpoint on a taken port, as the manager runs it: its neighbour is still served, and the
/// refused endpoint's own log says why, once.
@Suite("A refused endpoint is isolated", .serialized)
struct BalancerIsolationTests {
    @Test func anEndpointOnATakenPortDoesNotStopItsNeighbour() async throws {
        let reactor = try await APIAndManager.start("lb-isolated", manager: "lb-isolated")
        let http = reactor.http
        // Held without SO_REUSEPORT, so the tcp balancer cannot share it.
        let held = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let takenPort = try #require(LoopbackPorts.bindLoopback(held, port: 0), "a port to hold")
        #expect(listen(held, 1) == 0)
        let freePort = try LoopbackPorts.free()
        defer { close(held) }
        do {
            try await eventually("the API answers") { (try? await http.get("/"))?.status == 200 }
            for (name, port) in [("taken", takenPort), ("neighbour", freePort)] {
                let config: [String: Any] = [
                    "endpoint": ["url": "tcp://127.0.0.1:\(port)", "loadbalancer": "tcp", "port": "9"]
                ]
                let created = try await http.post("/v1.1/endpoints/\(name)", config)
                #expect(created.status == 200, "\(created.text)")
            }
            try await eventually("the neighbour on a free port is served", timeout: .seconds(20)) {
                LoopbackPorts.isListening(port: freePort)
            }
            try await eventually("the taken endpoint's log says why", timeout: .seconds(20)) {
                let log = try await http.get("/v1.1/endpoints/taken/log").text
                return log.contains("is not balanced by tcp") && log.contains("127.0.0.1:\(takenPort)")
            }
            // Several passes later the problem is still logged once.
            try await Task.sleep(for: .seconds(2))
            let log = try await http.get("/v1.1/endpoints/taken/log").text
            #expect(log.components(separatedBy: "is not balanced by tcp").count == 2, "logged once: \(log)")
            let neighbourLog = try await http.get("/v1.1/endpoints/neighbour/log").text
            #expect(!neighbourLog.contains("not balanced"), "the neighbour has no problem: \(neighbourLog)")
        } catch {
            Issue.record("manager log:\n\(reactor.manager.logTail(40))")
            await reactor.manager.kill()
            await reactor.api.kill()
            throw error
        }
        await reactor.manager.kill()
        await reactor.api.kill()
    }
}
