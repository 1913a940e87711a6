import DockerEngine
import Foundation
import Testing
import ZooKeeperTesting

/// The docker cloud with everything real: ZooKeeper, `reactor api`, two `reactor manager`
/// processes, each with a `dockerd` of its own.
@Suite("Docker cloud across two hosts", .serialized)
struct DockerCloudTests {
    /// The API, two managers (`dock-a`, `dock-b`) and their engines.
    struct Cluster {
        let reactor: APIAndManager
        var second: ManagedProcess
        let engines: [String: DockerDaemon]
        var http: HTTP { reactor.http }

        /// Starts the engines, writes each manager's `[cloud:docker]` (its socket, `slots`, a
        /// loopback pool of its own), then the API and the managers.
        /// - Parameter extra: more `[cloud:docker]` keys, by manager.
        static func start(_ label: String, slots: [String: Int], extra: [String: [String: String]] = [:])
            async throws -> Cluster
        {
            var engines: [String: DockerDaemon] = [:]
            for name in ["dock-a", "dock-b"] {
                engines[name] = try await DockerDaemon.start("\(label)-\(name.suffix(1))")
            }
            let reactor = try await APIAndManager.start(label, manager: "dock-a", interval: "0.3")
            let http = reactor.http
            try await eventually("the API answers") { (try? await http.get("/"))?.status == 200 }
            let pools = ["dock-a": "127.0.6.0/24", "dock-b": "127.0.7.0/24"]
            for name in ["dock-a", "dock-b"] {
                let section: [String: String] = [
                    "socket": engines[name]?.socket ?? "", "slots": "\(slots[name] ?? 1000)",
                    "addresses": pools[name] ?? "",
                ].merging(extra[name] ?? [:]) { $1 }
                let answer = try await http.post("/v1.1/managers/configs/\(name)", ["cloud:docker": section])
                #expect(answer.status == 200, "manager configuration of \(name): \(answer.text)")
            }
            let second = try ManagedProcess(
                [
                    try reactorExecutable(), "manager", "--zookeeper", reactor.namespace, "--name", "dock-b",
                    "--interval", "0.3", "--api", http.base, "--log-level", "info",
                ],
                environment: ["TMPDIR": reactor.logs + "/b/"], logPath: reactor.logs + "/manager-b.log")
            return Cluster(reactor: reactor, second: second, engines: engines)
        }

        /// The containers Reactor made, by engine.
        func containers() async throws -> [String: [ContainerSummary]] {
            var result: [String: [ContainerSummary]] = [:]
            for (name, engine) in engines { result[name] = try await engine.reactorContainers() }
            return result
        }

        func log(_ endpoint: String) async throws -> [String] {
            let entries = try await http.get("/v1.1/endpoints/\(endpoint)/log").json as? [[Any]] ?? []
            return entries.compactMap { $0.last as? String }
        }

        func stop() async {
            await second.kill()
            await reactor.manager.kill()
            await reactor.api.kill()
            for engine in engines.values { await engine.stop() }
        }

        var logs: String {
            "manager a:\n\(reactor.manager.logTail(20))\nmanager b:\n\(second.logTail(20))"
        }
    }

    static func endpoint(instances: Int, image: String = DockerDaemon.image, pull: String = "missing") -> [String: Any]
    {
        [
            "endpoint": ["cloud": "docker", "port": "8080", "unregistered_timeout": "600"],
            "scaling": ["min_instances": "\(instances)", "max_instances": "\(instances)"],
            "cloud:docker": [
                "image": image, "network": "host", "slots": "10", "pull": pull,
                "command": "exec httpd -f -p ${REACTOR_INSTANCE_IP}:${REACTOR_PORT} -h /www",
            ],
        ]
    }

    @Test func containersArePlacedBySlotsRepairedAndRemoved() async throws {
        var cluster = try await Cluster.start("docker-place", slots: ["dock-a": 20, "dock-b": 20])
        do {
            try await placeRepairRemove(&cluster)
        } catch {
            Issue.record("\(cluster.logs)")
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    func placeRepairRemove(_ cluster: inout Cluster) async throws {
        let http = cluster.http
        try await eventually("both managers offer docker", timeout: .seconds(30)) {
            var offering = 0
            for id in try await http.strings("/v1.1/managers/active") {
                let info = try await http.get("/v1.1/managers/active/\(id)").json as? [String: Any] ?? [:]
                if (info["clouds"] as? [String])?.contains("docker") == true { offering += 1 }
            }
            return offering == 2
        }
        #expect(try await http.post("/v1.1/endpoints/web", Self.endpoint(instances: 4)).status == 200)
        #expect(try await http.post("/v1.1/endpoints/web/state", ["action": "start"]).status == 200)
        // 20 slots a host, 10 a container: two containers on each engine, none on one alone.
        try await eventually("two running containers on each host", timeout: .seconds(40)) {
            let containers = try await cluster.containers()
            return containers.values.allSatisfy { $0.filter { $0.state == "running" }.count == 2 }
        }
        // Each serves on its own leased address (network = host).
        let instances = try await http.strings("/v1.1/endpoints/web/instances")
        #expect(instances.count == 4)

        // A fifth has nowhere to go, and the endpoint's log says so.
        var five = Self.endpoint(instances: 5)
        five["endpoint"] = ["cloud": "docker", "port": "8080", "unregistered_timeout": "600"]
        #expect(try await http.post("/v1.1/endpoints/web", five).status == 200)
        try await eventually("the log says no host has room", timeout: .seconds(20)) {
            try await cluster.log("web").contains { $0.contains("no docker host has 10 free slots") }
        }
        #expect(try await cluster.containers().values.map(\.count).reduce(0, +) == 4)
        #expect(try await http.post("/v1.1/endpoints/web", Self.endpoint(instances: 4)).status == 200)

        // A container removed behind Reactor's back is reported failed and replaced.
        let engineA = try #require(cluster.engines["dock-a"])
        let victim = try #require(try await engineA.reactorContainers().first)
        try await engineA.engine.removeContainer(victim.id)
        try await eventually("the removed container is replaced", timeout: .seconds(40)) {
            let running = try await engineA.reactorContainers().filter { $0.state == "running" }
            return running.count == 2 && !running.contains { $0.id == victim.id }
        }
        #expect(try await cluster.log("web").contains { $0.contains("is gone (removed outside Reactor)") })

        // A labelled container no record names is removed by its host's manager.
        let stray = try await engineA.engine.createContainer(
            name: "stray",
            ContainerSpec(
                image: DockerDaemon.image, entrypoint: ["/bin/sh", "-c"], command: ["exec sleep 60"],
                labels: victim.labels.merging(["reactor.instance": "no-such-instance"]) { $1 },
                hostConfig: .init(networkMode: "none")))
        try await eventually("the stray container is removed", timeout: .seconds(20)) {
            try await !engineA.reactorContainers().contains { $0.id == stray }
        }

        // Deleting the endpoint removes (not only stops) every container on both hosts.
        #expect(try await http.request("DELETE", "/v1.1/endpoints/web").status == 200)
        try await eventually("no container is left on either engine", timeout: .seconds(40)) {
            try await cluster.containers().values.allSatisfy(\.isEmpty)
        }
    }

    @Test func aRestartedManagerAdoptsItsContainers() async throws {
        let cluster = try await Cluster.start("docker-adopt", slots: ["dock-a": 100, "dock-b": 0])
        do {
            let http = cluster.http
            #expect(try await http.post("/v1.1/endpoints/web", Self.endpoint(instances: 2)).status == 200)
            #expect(try await http.post("/v1.1/endpoints/web/state", ["action": "start"]).status == 200)
            let engineA = try #require(cluster.engines["dock-a"])
            try await eventually("two running containers on host a", timeout: .seconds(40)) {
                try await engineA.reactorContainers().filter { $0.state == "running" }.count == 2
            }
            let before = Set(try await engineA.reactorContainers().map(\.id))
            // kill -9 of host a's manager, and a new one under its name before its session ends.
            await cluster.reactor.manager.kill()
            let restarted = try ManagedProcess(
                [
                    try reactorExecutable(), "manager", "--zookeeper", cluster.reactor.namespace, "--name", "dock-a",
                    "--interval", "0.3", "--api", http.base, "--log-level", "info",
                ],
                environment: ["TMPDIR": cluster.reactor.logs + "/"], logPath: cluster.reactor.logs + "/manager-a2.log")
            defer { Task { await restarted.kill() } }
            try await Task.sleep(for: .seconds(8))
            let after = try await engineA.reactorContainers()
            #expect(Set(after.map(\.id)) == before, "the same containers, adopted, none added: \(after.map(\.id))")
            #expect(after.allSatisfy { $0.state == "running" })
            #expect(try await cluster.engines["dock-b"]?.reactorContainers().isEmpty == true)
            #expect(try await http.strings("/v1.1/endpoints/web/instances").count == 2)
            await restarted.kill()
        } catch {
            Issue.record("\(cluster.logs)")
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    @Test func aMissingImageIsReportedWithBackoff() async throws {
        let cluster = try await Cluster.start("docker-image", slots: ["dock-a": 100, "dock-b": 100])
        do {
            let http = cluster.http
            let config = Self.endpoint(instances: 1, image: "reactor-test/not-imported:1", pull: "never")
            #expect(try await http.post("/v1.1/endpoints/lost", config).status == 200)
            #expect(try await http.post("/v1.1/endpoints/lost/state", ["action": "start"]).status == 200)
            // 8 s at a 0.3 s interval: about 25 launches without a hold.
            try await Task.sleep(for: .seconds(8))
            let messages = try await cluster.log("lost")
            let launches = messages.filter { $0.contains("launched instance") }.count
            #expect(
                messages.contains { $0.contains("reactor-test/not-imported:1 is not on the engine") }, "\(messages)")
            #expect(launches >= 1 && launches <= 8, "launches are held back: \(launches) in 8 s")
            #expect(messages.contains { $0.contains("no launch for") }, "\(messages)")
            #expect(try await cluster.containers().values.allSatisfy(\.isEmpty))
        } catch {
            Issue.record("\(cluster.logs)")
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }
}
