import Foundation
import Testing
import ZooKeeper
import ZooKeeperTesting

/// An endpoint whose cloud no running manager offers says so in its own log.
@Suite("Unowned endpoints", .serialized)
struct NoOfferTests {
    @Test func anEndpointNobodyCanRunSaysWhyInItsLog() async throws {
        let reactor = try await APIAndManager.start("no-offer", manager: "nooffer")
        let http = reactor.http
        do {
            try await eventually("the API answers") { (try? await http.get("/"))?.status == 200 }
            let config: [String: Any] = ["endpoint": ["cloud": "openstack", "port": "8000"]]
            #expect(try await http.post("/v1.1/endpoints/boxed", config).status == 200)
            #expect(try await http.post("/v1.1/endpoints/boxed/state", ["action": "start"]).status == 200)
            try await eventually("the endpoint's log says no manager offers its cloud", timeout: .seconds(20)) {
                try await http.get("/v1.1/endpoints/boxed/log").text.contains(
                    "no running manager offers cloud 'openstack'")
            }
            try await Task.sleep(for: .seconds(2))  // several passes of the test manager
            let log = try await http.get("/v1.1/endpoints/boxed/log").text
            #expect(
                log.components(separatedBy: "no running manager offers").count == 2,
                "said once, not every pass: \(log)")
        } catch {
            Issue.record("manager log:\n\(reactor.manager.logTail(30))")
            await reactor.manager.kill()
            await reactor.api.kill()
            throw error
        }
        await reactor.manager.kill()
        await reactor.api.kill()
    }
}
