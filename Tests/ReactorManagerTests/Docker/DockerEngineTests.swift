import DockerEngine
import Foundation
import Testing
import ZooKeeperTesting

/// The Engine API client against a real `dockerd` of its own.
@Suite("Docker Engine API client", .serialized)
struct DockerEngineTests {
    @Test func aContainersWholeLife() async throws {
        let daemon = try await DockerDaemon.start("engine")
        do {
            try await life(daemon)
        } catch {
            await daemon.stop()
            throw error
        }
        await daemon.stop()
    }

    func life(_ daemon: DockerDaemon) async throws {
        let engine = daemon.engine
        try await engine.ping()
        let version = try await engine.version()
        #expect(!version.apiVersion.isEmpty, "the engine says its API version")
        #expect(try await engine.hasImage(DockerDaemon.image))
        #expect(try await engine.hasImage("reactor-test/absent:1") == false)

        let spec = ContainerSpec(
            image: DockerDaemon.image, entrypoint: ["/bin/sh", "-c"], command: ["echo started; exec sleep 60"],
            environment: ["ONLY=this"], labels: ["reactor.test": "engine"],
            hostConfig: .init(networkMode: "none", memory: 64 << 20))
        let id = try await engine.createContainer(name: "engine-test", spec)
        await #expect(throws: DockerEngineError.self, "a second container of one name is refused") {
            _ = try await engine.createContainer(name: "engine-test", spec)
        }
        do {
            _ = try await engine.createContainer(name: "engine-test", spec)
        } catch let error as DockerEngineError {
            guard case .conflict(let message) = error else {
                Issue.record("expected a conflict, got \(error)")
                return
            }
            #expect(message.contains("engine-test"), "the engine's own message: \(message)")
        }
        try await engine.startContainer(id)
        try await engine.startContainer(id)  // started already: not an error
        let details = try await engine.inspectContainer(id)
        #expect(details.state.running && details.labels["reactor.test"] == "engine")
        let listed = try await engine.listContainers(labels: ["reactor.test": "engine"])
        #expect(listed.map(\.id) == [id] && listed.first?.state == "running")
        #expect(try await engine.listContainers(labels: ["reactor.test": "other"]).isEmpty)
        try await eventually("its output is read") {
            try await engine.containerLogs(id, lines: 5).contains("started")
        }
        try await engine.stopContainer(id, grace: 1)
        #expect(try await engine.inspectContainer(id).state.running == false)
        try await engine.removeContainer(id)
        do {
            _ = try await engine.inspectContainer(id)
            Issue.record("a removed container is still inspected")
        } catch DockerEngineError.notFound(let message) {
            #expect(!message.isEmpty)
        }
    }

    @Test func whatTheEngineRefusesIsTyped() async throws {
        let daemon = try await DockerDaemon.start("refusals")
        let engine = daemon.engine
        do {
            do {
                _ = try await engine.createContainer(name: "x", ContainerSpec(image: "reactor-test/absent:1"))
                Issue.record("a container of a missing image was created")
            } catch DockerEngineError.notFound(let message) {
                #expect(message.contains("absent"), "the engine names the image: \(message)")
            }
            // No registry is reachable from here: the pull fails with the engine's reason.
            do {
                try await engine.pullImage("127.0.0.1:1/reactor-test/absent:1", timeout: .seconds(60))
                Issue.record("a pull from nowhere succeeded")
            } catch let error as DockerEngineError {
                #expect("\(error)".contains("127.0.0.1:1"), "the message says what failed: \(error)")
            }
        } catch {
            await daemon.stop()
            throw error
        }
        await daemon.stop()
        let gone = DockerEngine(socketPath: daemon.socket)
        do {
            try await gone.ping()
            Issue.record("a stopped engine answered")
        } catch DockerEngineError.unreachable(let socket, _) {
            #expect(socket == daemon.socket)
        }
    }
}
