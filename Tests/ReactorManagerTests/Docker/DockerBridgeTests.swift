import Foundation
import Testing
import ZooKeeperTesting

#if canImport(Glibc)
import Glibc
#endif

/// Containers on a network of their own, across two hosts, behind the tcp balancer: each is
/// published on a host port of its own at its host's `publish_address`, and that `address:port`
/// is the backend everywhere (the API's `ips`, `state.active`, sessions, `/unregister`).
@Suite("Docker containers with published ports", .serialized)
struct DockerBridgeTests {
    @Test func publishedBackendsAreBalanced() async throws {
        let publish = ["dock-a": "127.0.6.250", "dock-b": "127.0.7.250"]
        let cluster = try await DockerCloudTests.Cluster.start(
            "docker-bridge", slots: ["dock-a": 100, "dock-b": 100],
            extra: [
                "dock-a": ["publish_address": "127.0.6.250", "ports": "24200-24299"],
                "dock-b": ["publish_address": "127.0.7.250", "ports": "24300-24399"],
            ])
        do {
            try await run(cluster, publish: publish)
        } catch {
            Issue.record("\(cluster.logs)")
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    func run(_ cluster: DockerCloudTests.Cluster, publish: [String: String]) async throws {
        let http = cluster.http
        let network = "rb-\(UUID().uuidString.prefix(6).lowercased())"
        for engine in cluster.engines.values.sorted(by: { $0.socket < $1.socket }) {
            try engine.makeNetwork(network)
        }
        let balancerPort = try LoopbackPorts.free()
        let endpoint: [String: Any] = [
            "endpoint": [
                "url": "tcp://127.0.0.1:\(balancerPort)", "loadbalancer": "tcp", "cloud": "docker", "port": "8080",
            ],
            "scaling": ["min_instances": "3", "max_instances": "3"],
            "cloud:docker": [
                "image": DockerDaemon.image, "network": network, "slots": "10",
                "command": "echo $REACTOR_INSTANCE_ID > /www/index.html && exec httpd -f -p ${REACTOR_PORT} -h /www",
            ],
        ]
        #expect(try await http.post("/v1.1/endpoints/web", endpoint).status == 200)
        #expect(try await http.post("/v1.1/endpoints/web/state", ["action": "start"]).status == 200)
        var backends: [String] = []
        try await eventually("three published backends are confirmed", timeout: .seconds(60)) {
            backends = try await http.strings("/v1.1/endpoints/web/ips")
            return backends.count == 3
        }
        // address:port, on a publish address, each port within its host's range.
        for backend in backends {
            let parts = backend.split(separator: ":")
            let port = Int(parts.last ?? "") ?? 0
            #expect(parts.count == 2 && publish.values.contains(String(parts[0])), "\(backend) is address:port")
            #expect(
                (String(parts[0]) == "127.0.6.250" ? 24200...24299 : 24300...24399).contains(port),
                "\(backend)'s port is of its host's range")
        }
        let front = HTTP(base: "http://127.0.0.1:\(balancerPort)")
        let instances = Set(try await http.strings("/v1.1/endpoints/web/instances"))
        var seen: Set<String> = []
        var failures: [String] = []
        do {
            try await eventually("requests through the balancer reach all three containers", timeout: .seconds(20)) {
                for _ in 0..<15 {
                    do {
                        let page = try await front.get("/")
                        seen.insert(page.text.trimmingCharacters(in: .whitespacesAndNewlines))
                    } catch {
                        failures.append("\(error)")
                    }
                }
                return seen == instances
            }
        } catch {
            Issue.record("instances \(instances), served by \(seen), failures \(failures.suffix(3))")
            throw error
        }

        // A held connection: its backend (address:port) is active and its session names it.
        let fd = try #require(LoopbackPorts.connect(port: balancerPort), "a connection to the balancer")
        defer { close(fd) }
        try await eventually("state.active and the session name the published backend", timeout: .seconds(20)) {
            let state = try await http.get("/v1.1/endpoints/web/state").json as? [String: Any]
            let active = state?["active"] as? [String] ?? []
            let sessions = try await http.get("/v1.1/endpoints/web/sessions").json as? [String: String] ?? [:]
            return active.count == 1 && backends.contains(active[0]) && sessions.values.contains(active[0])
        }

        // /unregister takes an address:port.
        let dropped = backends[0]
        #expect(try await http.post("/v1.1/unregister/\(dropped)").status == 200)
        #expect(try await http.post("/v1.1/unregister/\(dropped.split(separator: ":")[0]):0").status == 400)
        try await eventually("the unregistered backend is no longer confirmed", timeout: .seconds(20)) {
            try await !http.strings("/v1.1/endpoints/web/ips").contains(dropped)
        }

        #expect(try await http.request("DELETE", "/v1.1/endpoints/web").status == 200)
        try await eventually("no container is left on either engine", timeout: .seconds(40)) {
            try await cluster.containers().values.allSatisfy(\.isEmpty)
        }
    }
}
