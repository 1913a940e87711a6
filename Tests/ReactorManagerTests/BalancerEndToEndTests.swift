import Foundation
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

#if canImport(Glibc)
import Glibc
#endif

/// Each balancer driver as the manager runs it: `reactor api`, `reactor manager`, instances on
/// the process cloud registering themselves, and real clients through the balancer.
@Suite("Balancers driven by the manager", .serialized)
struct BalancerEndToEndTests {
    @Test(arguments: ["tcp", "nginx", "haproxy"])
    func theBalancerFollowsTheEndpoint(driver: String) async throws {
        let reactor = try await APIAndManager.start("lb-\(driver)", manager: "lb-\(driver)")
        let namespace = reactor.namespace
        let logs = reactor.logs
        let api = reactor.api
        let manager = reactor.manager
        let http = reactor.http
        let balancerPort = try LoopbackPorts.free()
        let instancePort = try LoopbackPorts.free()
        let scenario = Scenario(
            driver: driver, http: http, namespace: namespace, balancerPort: balancerPort, instancePort: instancePort)
        do {
            try await scenario.run()
        } catch {
            Issue.record("manager log:\n\(manager.logTail(40))")
            await scenario.stop()
            await manager.kill()
            await api.kill()
            Self.endLeftoverNginx(under: logs)
            reactor.killInstances()
            throw error
        }
        await scenario.stop()
        // A graceful stop: the manager stops the balancers it started (nginx outlives a kill -9,
        // to keep serving across a manager restart).
        manager.signal(SIGTERM)
        let exited = await Self.exits(manager, within: .seconds(15))
        #expect(exited, "the manager stops on SIGTERM:\n\(manager.logTail(40))")
        #expect(Self.leftoverNginx(under: logs).isEmpty, "the manager's nginx stopped with it")
        await manager.kill()
        await api.kill()
        Self.endLeftoverNginx(under: logs)
        reactor.killInstances()
    }

    static func exits(_ process: ManagedProcess, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if !process.isRunning { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Pids of nginx and haproxy masters still running, from pid files under `directory`.
    static func leftoverNginx(under directory: String) -> [Int32] {
        let files = FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix("nginx/nginx.pid") || $0.hasSuffix("haproxy/haproxy.pid") }.compactMap {
            file in
            let text = (try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)) ?? ""
            guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), kill(pid, 0) == 0 else {
                return nil
            }
            return pid
        }
    }

    static func endLeftoverNginx(under directory: String) {
        for pid in leftoverNginx(under: directory) { kill(pid, SIGTERM) }
    }

    /// DNS round robin: the endpoint's name resolves to its live instances through the
    /// manager's dnsmasq, and follows a scale-in. Where dnsmasq answers comes from the manager's
    /// own `[loadbalancer:dnsmasq]` section (not the command line).
    @Test func dnsmasqServesTheLiveInstances() async throws {
        let dnsPort = try LoopbackPorts.freeForUDPAndTCP()
        let reactor = try await APIAndManager.start("lb-dnsmasq", manager: "lb-dns")
        let api = reactor.api
        let manager = reactor.manager
        let http = reactor.http
        func configuration(instances: Int) -> [String: Any] {
            [
                "endpoint": [
                    "url": "dns://web.reactor.test", "loadbalancer": "dnsmasq", "cloud": "process", "port": "8000",
                ],
                "scaling": ["min_instances": "\(instances)", "max_instances": "\(instances)"],
                "cloud:process": [
                    "command": "sh \(ProcessCloudEndToEndTests.instanceScript)", "addresses": "127.0.6.0/24",
                ],
            ]
        }
        func resolved() async throws -> Set<String> {
            try await DNSQuery.query("web.reactor.test", port: dnsPort).addresses
        }
        do {
            try await eventually("the API answers") { (try? await http.get("/"))?.status == 200 }
            let section = ["loadbalancer:dnsmasq": ["listen": "127.0.0.1", "port": "\(dnsPort)"]]
            #expect(try await http.post("/v1.1/managers/configs/lb-dns", section).status == 200)
            let refused = try await http.post(
                "/v1.1/managers/configs/lb-dns", ["loadbalancer:dnsmasq": ["port": "53x"]])
            #expect(refused.status == 400 && refused.text.contains("port"), "a bad port is refused: \(refused.text)")
            #expect(try await http.post("/v1.1/endpoints/dns", configuration(instances: 2)).status == 200)
            #expect(try await http.post("/v1.1/endpoints/dns/state", ["action": "start"]).status == 200)
            try await eventually("the name resolves to both registered instances", timeout: .seconds(30)) {
                let ips = Set(try await http.strings("/v1.1/endpoints/dns/ips"))
                let answer = try? await resolved()
                return ips.count == 2 && answer == ips
            }
            #expect(try await http.post("/v1.1/endpoints/dns", configuration(instances: 1)).status == 200)
            try await eventually("after a scale-in the name resolves to the one instance left", timeout: .seconds(30)) {
                let ips = Set(try await http.strings("/v1.1/endpoints/dns/ips"))
                let answer = try? await resolved()
                return ips.count == 1 && answer == ips
            }
        } catch {
            Issue.record("manager log:\n\(manager.logTail(40))")
            _ = try? await http.post("/v1.1/endpoints/dns/state", ["action": "stop"])
            await manager.kill()
            await api.kill()
            reactor.killInstances()
            throw error
        }
        _ = try? await http.post("/v1.1/endpoints/dns/state", ["action": "stop"])
        try? await eventually("instances stopped", timeout: .seconds(10)) {
            try await http.strings("/v1.1/endpoints/dns/instances").isEmpty
        }
        manager.signal(SIGTERM)
        let exited = await Self.exits(manager, within: .seconds(15))
        #expect(exited, "the manager stops on SIGTERM:\n\(manager.logTail(40))")
        let late = try? await DNSQuery.query("web.reactor.test", port: dnsPort, timeout: .milliseconds(500))
        #expect(late == nil, "its dnsmasq stopped with it")
        await manager.kill()
        await api.kill()
        reactor.killInstances()
    }

    struct Scenario {
        let driver: String
        let http: HTTP
        let namespace: String
        let balancerPort: Int
        let instancePort: Int

        var front: HTTP { HTTP(base: "http://127.0.0.1:\(balancerPort)") }
        var holdsConnections: Bool { driver != "nginx" }

        func run() async throws {
            let url = driver == "nginx" ? "http://127.0.0.1:\(balancerPort)/" : "tcp://127.0.0.1:\(balancerPort)"
            // tcp and haproxy (TCP mode) scale on held connections, nginx on request rate.
            let rules = holdsConnections ? "active <= 2" : "rate <= 4"
            let config: [String: Any] = [
                "endpoint": ["url": url, "loadbalancer": driver, "cloud": "process", "port": "\(instancePort)"],
                "scaling": ["min_instances": "2", "max_instances": "3", "rules": rules],
                "cloud:process": [
                    "command": "sh \(ProcessCloudEndToEndTests.instanceScript)", "addresses": "127.0.4.0/24",
                ],
            ]
            try await eventually("the API answers") { (try? await http.get("/"))?.status == 200 }
            let created = try await http.post("/v1.1/endpoints/lb", config)
            #expect(created.status == 200, "\(created.text)")
            #expect(try await http.post("/v1.1/endpoints/lb/state", ["action": "start"]).status == 200)

            // Both instances register and both get traffic through the balancer.
            try await eventually("two instances registered", timeout: .seconds(30)) {
                try await http.strings("/v1.1/endpoints/lb/ips").count == 2
            }
            try await eventually("requests through the \(driver) balancer reach both instances") {
                try await servedBy(requests: 20).count == 2
            }

            if holdsConnections {
                try await sessionsAreListedAndCut()
            }
            if driver == "tcp" {
                try await instancesSourceBorrowsTheInstances()
            }

            // Load through the balancer: its metrics reach the endpoint and a rule scales it out.
            let load = Task { try await generateLoad() }
            defer { load.cancel() }
            try await eventually(
                "the \(driver) balancer's metrics drive the rule '\(rules)' to 3 instances", timeout: .seconds(40)
            ) {
                try await http.strings("/v1.1/endpoints/lb/ips").count == 3
            }
            if holdsConnections {
                try await eventually("GET state lists the backends with open connections") {
                    let state = try await http.get("/v1.1/endpoints/lb/state").json as? [String: Any]
                    let active = state?["active"] as? [String] ?? []
                    return !active.isEmpty
                        && active.allSatisfy { $0.hasPrefix("127.0.4.") && $0.hasSuffix(":\(instancePort)") }
                }
            }
            let metrics = try await http.get("/v1.1/endpoints/lb/metrics").json as? [String: Double] ?? [:]
            #expect(metrics[holdsConnections ? "active" : "rate"] != nil, "balancer metrics in \(metrics)")
            let log = try await http.get("/v1.1/endpoints/lb/log").json as? [[Any]] ?? []
            #expect(
                log.contains { ($0.last as? String)?.contains("rule '\(rules)'") == true },
                "the log names the rule that scaled the endpoint")
            // The third instance gets traffic soon after it registered.
            try await eventually("the new instance gets traffic", timeout: .seconds(10)) {
                try await servedBy(requests: 30).count == 3
            }
            load.cancel()
            _ = await load.result
        }

        /// An endpoint with `instances_source` and no cloud of its own is served by the source's
        /// instances on its own URL.
        func instancesSourceBorrowsTheInstances() async throws {
            let mirrorPort = try LoopbackPorts.free()
            let mirror: [String: Any] = [
                "endpoint": [
                    "url": "tcp://127.0.0.1:\(mirrorPort)", "loadbalancer": "tcp", "port": "\(instancePort)",
                    "instances_source": "lb",
                ],
                "scaling": ["min_instances": "0", "max_instances": "0"],
            ]
            #expect(try await http.post("/v1.1/endpoints/mirror", mirror).status == 200)
            let direct = try await servedBy(requests: 10)
            try await eventually("the mirror's URL reaches the source's instances") {
                let page = try? await HTTP(base: "http://127.0.0.1:\(mirrorPort)").get("/")
                let text = page?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                return page?.status == 200 && direct.contains(text)
            }
            #expect(try await http.request("DELETE", "/v1.1/endpoints/mirror").status == 200)
        }

        /// The instances (their ids) that answered `requests` requests through the balancer.
        func servedBy(requests: Int) async throws -> Set<String> {
            var seen: Set<String> = []
            for _ in 0..<requests {
                guard let page = try? await front.get("/"), page.status == 200 else { continue }
                seen.insert(page.text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return seen
        }

        /// Keeps the balancer busy until cancelled: held connections for tcp and haproxy, a steady stream of
        /// requests (about 30/s) for nginx.
        func generateLoad() async throws {
            if holdsConnections {
                var held: [Int32] = []
                defer { for fd in held { close(fd) } }
                for _ in 0..<8 {
                    if let fd = LoopbackPorts.connect(port: balancerPort) { held.append(fd) }
                }
                while !Task.isCancelled { try await Task.sleep(for: .milliseconds(100)) }
            } else {
                while !Task.isCancelled {
                    _ = try? await front.get("/")
                    try await Task.sleep(for: .milliseconds(30))
                }
            }
        }

        /// A held connection appears in the endpoint's sessions; DELETE cuts it and the owner
        /// clears the request.
        func sessionsAreListedAndCut() async throws {
            guard let fd = LoopbackPorts.connect(port: balancerPort) else {
                Issue.record("cannot connect to the balancer")
                return
            }
            defer { close(fd) }
            let local = BalancerEndToEndTests.localAddress(fd)
            var backend = ""
            try await eventually("the session is listed") {
                let sessions = try await http.get("/v1.1/endpoints/lb/sessions").json as? [String: String] ?? [:]
                backend = sessions[local] ?? ""
                return !backend.isEmpty
            }
            #expect(backend.hasPrefix("127.0.4."), "the session's backend is an instance: \(backend)")
            let dropped = try await http.request("DELETE", "/v1.1/endpoints/lb/sessions/\(local)")
            #expect(dropped.status == 200, "\(dropped.text)")
            try await eventually("the connection is cut", timeout: .seconds(5)) {
                BalancerEndToEndTests.isClosed(fd)
            }
            let zk = try await ZooKeeperClient.connect(.init(connectString: namespace))
            defer { Task { await zk.close() } }
            let id = try await ReactorStore(client: zk).endpointID(named: "lb")
            try await eventually("the owner cleared the drop request") {
                try await zk.children(ZNodeLayout.endpoint(id, EndpointNode.sessionsDrop)).isEmpty
            }
            try await eventually("the session is no longer listed") {
                let sessions = try await http.get("/v1.1/endpoints/lb/sessions").json as? [String: String] ?? [:]
                return sessions[local] == nil
            }
        }

        func stop() async {
            _ = try? await http.post("/v1.1/endpoints/lb/state", ["action": "stop"])
            try? await eventually("instances stopped", timeout: .seconds(10)) {
                try await http.strings("/v1.1/endpoints/lb/instances").isEmpty
            }
        }
    }

    /// `ip:port` of the socket's local end.
    static func localAddress(_ fd: Int32) -> String {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let ip = String(cString: inet_ntoa(address.sin_addr))
        return "\(ip):\(UInt16(bigEndian: address.sin_port))"
    }

    /// Whether the peer closed the connection (a read returns end of file or an error), without
    /// waiting.
    static func isClosed(_ fd: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }
}
