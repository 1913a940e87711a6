import Foundation
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

#if canImport(Glibc)
import Glibc
#endif

/// Deleting an endpoint whose instances run ends them: nothing keeps running unowned.
@Suite("Deleting an endpoint", .serialized)
struct DeletedEndpointTests {
    /// A registration from an address whose lease still names a deleted endpoint (its instance
    /// not ended yet) is dropped with a log line; it does not stop the manager's passes.
    @Test func aRegistrationForADeletedEndpointDoesNotStopThePasses() async throws {
        let reactor = try await APIAndManager.start("deleted-registration", manager: "stale")
        let zk = try await ZooKeeperClient.connect(.init(connectString: reactor.namespace))
        do {
            let http = reactor.http
            try await eventually("the API answers") { (try? await http.get("/"))?.status == 200 }
            let ip = "127.0.7.77"
            try await zk.create(
                ZNodeLayout.processIP(ip), data: Array("0b7d5b6e-0000-4000-8000-00000000dead/inst-1".utf8),
                createParents: true)
            try await ReactorStore(client: zk).queueRegistration(ip: ip)
            try await eventually("the registration is taken off the queue", timeout: .seconds(10)) {
                try await !ReactorStore(client: zk).queuedRegistrations().contains(ip)
            }
            let log = try await http.get("/v1.1/managers/log/stale").text
            #expect(log.contains("ignored registration from \(ip)"), "the manager log says why: \(log)")
            let output = reactor.manager.logTail(200)
            #expect(!output.contains("manager pass failed"), "no pass failed: \(output)")
        } catch {
            Issue.record("manager log:\n\(reactor.manager.logTail(30))")
            await zk.close()
            await reactor.manager.kill()
            await reactor.api.kill()
            throw error
        }
        await zk.close()
        await reactor.manager.kill()
        await reactor.api.kill()
    }

    @Test func itsInstancesAreEndedAndForgotten() async throws {
        let reactor = try await APIAndManager.start("deleted-endpoint", manager: "deleter")
        let namespace = reactor.namespace
        let api = reactor.api
        let manager = reactor.manager
        let http = reactor.http
        let zk = try await ZooKeeperClient.connect(.init(connectString: namespace))
        let records = "\(ZNodeLayout.clouds)/process/instances"
        do {
            try await eventually("the API answers") { (try? await http.get("/"))?.status == 200 }
            let config: [String: Any] = [
                "endpoint": ["cloud": "process", "port": "8000"],
                "scaling": ["min_instances": "2", "max_instances": "2"],
                "cloud:process": [
                    "command": "sh \(ProcessCloudEndToEndTests.instanceScript)", "addresses": "127.0.7.0/24",
                ],
            ]
            #expect(try await http.post("/v1.1/endpoints/gone", config).status == 200)
            #expect(try await http.post("/v1.1/endpoints/gone/state", ["action": "start"]).status == 200)
            try await eventually("two instances registered", timeout: .seconds(30)) {
                try await http.strings("/v1.1/endpoints/gone/ips").count == 2
            }
            let id = try await ReactorStore(client: zk).endpointID(named: "gone")
            var pids: [Int32] = []
            for instance in try await zk.children("\(records)/\(id)") {
                let node = try await zk.get("\(records)/\(id)/\(instance)")
                let record = try JSONSerialization.jsonObject(with: Data(node.bytes)) as? [String: Any]
                if let pid = record?["pid"] as? Int { pids.append(Int32(pid)) }
            }
            #expect(pids.count == 2 && pids.allSatisfy { kill($0, 0) == 0 }, "both instance processes run: \(pids)")

            let deleted = try await http.request("DELETE", "/v1.1/endpoints/gone")
            #expect(deleted.status == 200, "\(deleted.text)")
            try await eventually("the instance processes are ended", timeout: .seconds(15)) {
                pids.allSatisfy { kill($0, 0) != 0 }
            }
            try await eventually("their records and address leases are gone") {
                let endpoints = (try? await zk.children(records)) ?? []
                let leases = (try? await zk.children("\(ZNodeLayout.clouds)/process/ips")) ?? []
                return !endpoints.contains(id) && !leases.contains { $0.hasPrefix("127.0.7.") }
            }
            let log = try await http.get("/v1.1/managers/log/deleter").text
            #expect(log.contains("which was deleted"), "the manager log says why: \(log)")
        } catch {
            Issue.record("manager log:\n\(manager.logTail(30))")
            await manager.kill()
            await api.kill()
            reactor.killInstances()
            await zk.close()
            throw error
        }
        await manager.kill()
        await api.kill()
        reactor.killInstances()
        await zk.close()
    }
}
