import Foundation
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

/// A delete the API could not finish (it died between the steps) leaves nothing half-done for
/// long: a manager removes the data no name refers to any more within a couple of passes. Real
/// processes: the API is made to die at each step (`REACTOR_TEST_CRASH_AT`).
@Suite("Half-done deletes", .serialized)
struct HalfDoneDeleteTests {
    @Test(arguments: ["endpoint-delete:name-removed", "endpoint-delete:addresses-removed"])
    func aDeleteCutShortIsFinishedByAManager(_ crashPoint: String) async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("half-delete")
        let logs = NSTemporaryDirectory() + "reactor-half-delete-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let binary = try reactorExecutable()
        let port = try LoopbackPorts.free()
        let api = try ManagedProcess(
            [binary, "api", "--zookeeper", namespace, "--port", "\(port)"],
            environment: ["REACTOR_TEST_CRASH_AT": crashPoint], logPath: logs + "/api.log")
        let http = HTTP(base: "http://127.0.0.1:\(port)")
        let zk = try await ZooKeeperClient.connect(.init(connectString: namespace))
        let store = ReactorStore(client: zk)
        var manager: ManagedProcess?
        do {
            try await eventually("the API answers") { (try? await http.get("/"))?.status == 200 }
            #expect(try await http.post("/v1.1/endpoints/doomed", ["endpoint": ["port": "8000"]]).status == 200)
            #expect(try await http.post("/v1.1/endpoints/doomed/metadata/owner", "team-a").status == 200)
            let id = try await store.endpointID(named: "doomed")
            try await store.confirmIP("10.9.8.7", id: id, name: "doomed")

            // The API dies in the middle of the delete.
            _ = try? await http.request("DELETE", "/v1.1/endpoints/doomed")
            #expect(await api.waitForExit() != 0, "the API died at \(crashPoint)")
            #expect(try await zk.exists(ZNodeLayout.endpointName("doomed")) == nil, "the name is gone")
            #expect(try await zk.exists(ZNodeLayout.endpoint(id)) != nil, "its data is left behind, for now")

            manager = try ManagedProcess(
                [binary, "manager", "--zookeeper", namespace, "--name", "tidy", "--interval", "0.2"],
                environment: ["TMPDIR": logs + "/"], logPath: logs + "/manager.log")
            try await eventually("the manager removes what the delete left", timeout: .seconds(30)) {
                let data = try await zk.exists(ZNodeLayout.endpoint(id))
                let address = try await zk.exists(ZNodeLayout.ipAddress("10.9.8.7"))
                return data == nil && address == nil
            }
        } catch {
            Issue.record("api log:\n\(api.logTail(20))\nmanager log:\n\(manager?.logTail(30) ?? "-")")
            await manager?.kill()
            await api.kill()
            await zk.close()
            throw error
        }
        await manager?.kill()
        await api.kill()
        await zk.close()
    }
}
