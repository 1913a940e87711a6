import DockerEngine
import Foundation
import Testing
import ZooKeeperTesting

#if canImport(Glibc)
import Glibc
#endif

/// `reactor up` leaves nothing behind, containers included: its private ZooKeeper's data goes
/// when it stops, so the containers its manager launched go too.
@Suite("reactor up with the docker cloud", .serialized)
struct DockerUpTests {
    @Test func stoppingReactorUpRemovesItsContainers() async throws {
        let engine = try await DockerDaemon.start("up")
        let folder = NSTemporaryDirectory() + "reactor-up-docker-\(UUID().uuidString.prefix(6))"
        let apiPort: Int
        let up: ManagedProcess
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            apiPort = try LoopbackPorts.free()
            up = try ManagedProcess(
                [
                    try reactorExecutable(), "up", "--interval", "0.3", "--port", "\(apiPort)", "--log-level", "info",
                ],
                environment: ["TMPDIR": folder + "/"], logPath: folder + "/up.log")
        } catch {
            await engine.stop()
            throw error
        }
        do {
            try await launchContainers(engine, http: HTTP(base: "http://127.0.0.1:\(apiPort)"))
        } catch {
            Issue.record("reactor up:\n\(up.logTail(40))")
            await up.kill()
            await engine.stop()
            throw error
        }
        up.signal(SIGTERM)
        let exited = await BalancerEndToEndTests.exits(up, within: .seconds(60))
        if !exited {
            Issue.record("reactor up must stop within 60 s of SIGTERM:\n\(up.logTail(20))")
            await up.kill()
        }
        let left = (try? await engine.reactorContainers()) ?? []
        #expect(left.isEmpty, "no container of reactor up is left: \(left.map { "\($0.names) \($0.state)" })")
        #expect(up.logTail(20).contains("removed 2 container(s)"), "reactor up says so:\n\(up.logTail(20))")
        if exited { #expect(await up.waitForExit() == 0, "SIGTERM stops reactor up cleanly:\n\(up.logTail(20))") }
        await engine.stop()
    }

    /// Gives the `local` manager the engine, and an endpoint of two containers on it.
    func launchContainers(_ engine: DockerDaemon, http: HTTP) async throws {
        try await eventually("the API of reactor up answers", timeout: .seconds(60)) {
            (try? await http.get("/"))?.status == 200
        }
        let section = ["socket": engine.socket, "slots": "100", "addresses": "127.0.12.0/24"]
        let answer = try await http.post("/v1.1/managers/configs/local", ["cloud:docker": section])
        #expect(answer.status == 200, "manager configuration: \(answer.text)")
        try await eventually("the manager offers docker", timeout: .seconds(30)) {
            for id in try await http.strings("/v1.1/managers/active") {
                let info = try await http.get("/v1.1/managers/active/\(id)").json as? [String: Any] ?? [:]
                if (info["clouds"] as? [String])?.contains("docker") == true { return true }
            }
            return false
        }
        let endpoint: [String: Any] = [
            "endpoint": ["cloud": "docker", "port": "8080"],
            "scaling": ["min_instances": "2", "max_instances": "2"],
            "cloud:docker": [
                "image": DockerDaemon.image, "network": "host", "slots": "10",
                "command": "exec httpd -f -p ${REACTOR_INSTANCE_IP}:${REACTOR_PORT} -h /www",
            ],
        ]
        #expect(try await http.post("/v1.1/endpoints/web", endpoint).status == 200)
        #expect(try await http.post("/v1.1/endpoints/web/state", ["action": "start"]).status == 200)
        try await eventually("two running containers", timeout: .seconds(60)) {
            try await engine.reactorContainers().filter { $0.state == "running" }.count == 2
        }
    }
}
