import DockerEngine
import Foundation
import Testing
import ZooKeeperTesting

/// Any image is a backend without its help: containers that serve on their port and never call
/// `POST /v1.1/register`, on the host's network and on a network of their own, are confirmed by
/// their host's manager once they accept a connection, get traffic through the tcp balancer and
/// outlive `unregistered_timeout`.
@Suite("Docker backends confirmed by their host's manager", .serialized)
struct DockerConfirmationTests {
    /// The API, one manager (`dock-c`) and its engine.
    struct Host {
        let reactor: APIAndManager
        let engine: DockerDaemon
        var http: HTTP { reactor.http }

        static func start(_ label: String) async throws -> Host {
            let engine = try await DockerDaemon.start(label)
            let reactor: APIAndManager
            do {
                reactor = try await APIAndManager.start(label, manager: "dock-c", interval: "0.3")
            } catch {
                await engine.stop()
                throw error
            }
            let host = Host(reactor: reactor, engine: engine)
            do {
                let http = reactor.http
                try await eventually("the API answers") { (try? await http.get("/"))?.status == 200 }
                let section = [
                    "socket": engine.socket, "slots": "100", "addresses": "127.0.11.0/24",
                    "publish_address": "127.0.11.250", "ports": "24400-24499",
                ]
                let answer = try await http.post("/v1.1/managers/configs/dock-c", ["cloud:docker": section])
                #expect(answer.status == 200, "manager configuration: \(answer.text)")
                try await eventually("the manager offers docker", timeout: .seconds(30)) {
                    for id in try await http.strings("/v1.1/managers/active") {
                        let info = try await http.get("/v1.1/managers/active/\(id)").json as? [String: Any] ?? [:]
                        if (info["clouds"] as? [String])?.contains("docker") == true { return true }
                    }
                    return false
                }
            } catch {
                await host.stop()
                throw error
            }
            return host
        }

        func stop() async {
            await reactor.manager.kill()
            await reactor.api.kill()
            await engine.stop()
        }
    }

    /// An endpoint of two containers behind the tcp balancer on `balancerPort`; each serves its
    /// instance id with busybox httpd and never registers. `unregistered_timeout` is 6 s.
    static func endpoint(network: String, command: String, balancerPort: Int) -> [String: Any] {
        [
            "endpoint": [
                "url": "tcp://127.0.0.1:\(balancerPort)", "loadbalancer": "tcp", "cloud": "docker", "port": "8080",
                "unregistered_timeout": "6",
            ],
            "scaling": ["min_instances": "2", "max_instances": "2"],
            "cloud:docker": [
                "image": DockerDaemon.image, "network": network, "slots": "10",
                "command": "echo $REACTOR_INSTANCE_ID > /www/index.html && exec \(command)",
            ],
        ]
    }

    @Test func containersThatNeverRegisterBecomeBackends() async throws {
        let host = try await Host.start("docker-confirm")
        do {
            try await run(host)
        } catch {
            Issue.record("manager:\n\(host.reactor.manager.logTail(30))")
            await host.stop()
            throw error
        }
        await host.stop()
    }

    func run(_ host: Host) async throws {
        let http = host.http
        let network = "rc-\(UUID().uuidString.prefix(6).lowercased())"
        try host.engine.makeNetwork(network)
        let ports = ["hostnet": try LoopbackPorts.free(), "bridged": try LoopbackPorts.free()]
        let configs = [
            // Binds the address it was given, as a process instance would.
            "hostnet": Self.endpoint(
                network: "host", command: "httpd -f -p ${REACTOR_INSTANCE_IP}:${REACTOR_PORT} -h /www",
                balancerPort: ports["hostnet"] ?? 0),
            // Any address of its own; the engine publishes the port.
            "bridged": Self.endpoint(
                network: network, command: "httpd -f -p ${REACTOR_PORT} -h /www", balancerPort: ports["bridged"] ?? 0),
        ]
        for (name, config) in configs {
            #expect(try await http.post("/v1.1/endpoints/\(name)", config).status == 200)
            #expect(try await http.post("/v1.1/endpoints/\(name)/state", ["action": "start"]).status == 200)
        }
        var instances: [String: Set<String>] = [:]
        var backends: [String: Set<String>] = [:]
        for name in configs.keys.sorted() {
            try await eventually("both containers of \(name) are confirmed backends", timeout: .seconds(60)) {
                backends[name] = Set(try await http.strings("/v1.1/endpoints/\(name)/ips"))
                return backends[name]?.count == 2
            }
            instances[name] = Set(try await http.strings("/v1.1/endpoints/\(name)/instances"))
        }
        #expect(backends["hostnet"]?.allSatisfy { $0.hasPrefix("127.0.11.") && !$0.contains(":") } == true)
        #expect(backends["bridged"]?.allSatisfy { $0.hasPrefix("127.0.11.250:") } == true)
        try await expectTraffic(ports, instances)

        // Well past unregistered_timeout: the same instances, still confirmed, none replaced.
        let containers = Set(try await host.engine.reactorContainers().map(\.id))
        #expect(containers.count == 4, "four containers: \(containers)")
        try await Task.sleep(for: .seconds(10))
        for name in configs.keys.sorted() {
            let now = Set(try await http.strings("/v1.1/endpoints/\(name)/instances"))
            #expect(now == instances[name], "\(name) keeps its instances past unregistered_timeout: \(now)")
            let confirmed = Set(try await http.strings("/v1.1/endpoints/\(name)/ips"))
            #expect(confirmed == backends[name], "\(name)'s backends stay confirmed: \(confirmed)")
        }
        let after = Set(try await host.engine.reactorContainers().filter { $0.state == "running" }.map(\.id))
        #expect(after == containers, "no container was deleted or relaunched")
        try await expectTraffic(ports, instances)

        for name in configs.keys.sorted() {
            #expect(try await http.request("DELETE", "/v1.1/endpoints/\(name)").status == 200)
        }
        try await eventually("no container is left", timeout: .seconds(40)) {
            try await host.engine.reactorContainers().isEmpty
        }
    }

    /// Requests through each endpoint's balancer reach both of its containers.
    func expectTraffic(_ ports: [String: Int], _ instances: [String: Set<String>]) async throws {
        for (name, port) in ports.sorted(by: { $0.key < $1.key }) {
            let front = HTTP(base: "http://127.0.0.1:\(port)")
            var seen: Set<String> = []
            var failures: [String] = []
            do {
                try await eventually("requests to \(name) reach both containers", timeout: .seconds(20)) {
                    for _ in 0..<10 {
                        do {
                            seen.insert(try await front.get("/").text.trimmingCharacters(in: .whitespacesAndNewlines))
                        } catch {
                            failures.append("\(error)")
                        }
                    }
                    return seen == instances[name]
                }
            } catch {
                Issue.record("\(name): instances \(instances[name] ?? []), served by \(seen), \(failures.suffix(3))")
                throw error
            }
        }
    }
}
