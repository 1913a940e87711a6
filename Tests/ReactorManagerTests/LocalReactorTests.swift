import Foundation
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

#if canImport(Glibc)
import Glibc
#endif

/// `reactor up --demo` and `reactor server` as a user runs them: separate processes, stopped
/// with a signal.
@Suite("reactor up and reactor server", .serialized)
struct LocalReactorTests {
    @Test func upDemoFollowsTheLoadAndLeavesNothingBehind() async throws {
        let apiPort = try LoopbackPorts.free()
        let demoPort = try LoopbackPorts.free()
        let up = try ManagedProcess(
            [
                try reactorExecutable(), "up", "--demo", "--demo-phase", "6", "--interval", "0.5",
                "--port", "\(apiPort)", "--demo-port", "\(demoPort)",
            ],
            logPath: NSTemporaryDirectory() + "reactor-up-demo-\(UUID().uuidString.prefix(6)).log")
        do {
            // One cycle of load: 0, 12, 36, 12, 0 held connections, 6 s each.
            try await eventually("the instance count rises with the load and falls back", timeout: .seconds(90)) {
                let lines = (try? String(contentsOfFile: up.logPath, encoding: .utf8))?.split(separator: "\n") ?? []
                guard let peak = lines.firstIndex(where: { $0.hasPrefix("load: 36 ") }) else { return false }
                let counts = lines.map { line -> Int? in
                    line.hasPrefix("instances: ")
                        ? Int(line.dropFirst("instances: ".count).prefix { $0.isNumber }) : nil
                }
                let risen = counts[peak...].contains { ($0 ?? 0) >= 4 }
                guard let idle = lines[peak...].firstIndex(where: { $0.hasPrefix("load: 0 ") }) else { return false }
                return risen && counts[idle...].contains { $0 == 1 }
            }
            let log = up.logTail(200)
            #expect(log.contains("rule '2 <= active <= 8' wants"), "the endpoint log explains the targets:\n\(log)")
        } catch {
            Issue.record("reactor up --demo:\n\(up.logTail(60))")
            await up.kill()
            throw error
        }
        up.signal(SIGINT)
        let status = await up.waitForExit()
        #expect(status == 0, "Ctrl-C stops reactor up cleanly:\n\(up.logTail(20))")
        #expect(!Self.listening(onPort: 9000, prefix: "127.0.1."), "no demo instance is left listening")
        #expect(!LoopbackPorts.isListening(port: apiPort), "the API is gone")
        #expect(!LoopbackPorts.isListening(port: demoPort), "the balancer is gone")
    }

    @Test func serverRunsTheAPIAndAManagerInOneProcess() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("server")
        let zk = try await ZooKeeperClient.connect(.init(connectString: namespace))
        let store = ReactorStore(client: zk)
        let port = try LoopbackPorts.free()
        let server = try ManagedProcess(
            [
                try reactorExecutable(), "server", "--zookeeper", namespace, "--host", "127.0.0.1", "--port", "\(port)",
                "--name", "both", "--interval", "0.3",
            ],
            logPath: NSTemporaryDirectory() + "reactor-server-\(UUID().uuidString.prefix(6)).log")
        let http = HTTP(base: "http://127.0.0.1:\(port)")
        do {
            try await eventually("the API answers and the manager is registered") {
                let managers = try? await http.strings("/v1.1/managers/active")
                return managers?.count == 1
            }
            let created = try await http.post("/v1.1/endpoints/web", ["scaling": ["min_instances": "0"]])
            #expect(created.status == 200, "\(created.text)")
            try await eventually("the in-process manager owns the new endpoint") {
                let state = try await http.get("/v1.1/endpoints/web/state").json as? [String: Any]
                return (state?["manager"] as? String)?.isEmpty == false
            }
        } catch {
            Issue.record("reactor server:\n\(server.logTail(40))")
            await server.kill()
            throw error
        }
        server.signal(SIGTERM)
        let status = await server.waitForExit()
        #expect(status == 0, "SIGTERM stops it cleanly:\n\(server.logTail(20))")
        #expect(try await store.activeManagers().isEmpty, "the manager unregistered on the way out")
        #expect(!LoopbackPorts.isListening(port: port))
        await zk.close()
    }

    @Test func serverOnATakenPortSaysSoAndExits() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("server-taken")
        let port = try LoopbackPorts.free()
        let squatter = try ManagedProcess(
            ["python3", "-m", "http.server", "--bind", "127.0.0.1", "\(port)"],
            logPath: NSTemporaryDirectory() + "reactor-squatter-\(UUID().uuidString.prefix(6)).log")
        defer { Task { await squatter.kill() } }
        try await eventually("the port is taken") { Self.listening(onPort: port, prefix: "127.0.0.1") }
        let server = try ManagedProcess(
            [
                try reactorExecutable(), "server", "--zookeeper", namespace, "--host", "127.0.0.1", "--port", "\(port)",
                "--name", "late",
            ],
            logPath: NSTemporaryDirectory() + "reactor-server-taken-\(UUID().uuidString.prefix(6)).log")
        let exited = await BalancerEndToEndTests.exits(server, within: .seconds(60))
        guard exited else {
            Issue.record("a server that cannot listen must exit:\n\(server.logTail(10))")
            await server.kill()
            return
        }
        let status = await server.waitForExit()
        #expect(status != 0, "a server that cannot listen does not run on")
        let tail = server.logTail(5)
        #expect(tail.contains("the API cannot serve on 127.0.0.1:\(port)"), "\(tail)")
        #expect(
            tail.contains("already in use") && tail.contains("--port") && !tail.contains("errno: 98"),
            "a busy port says so and how to choose another: \(tail)")
    }

    /// Whether something listens on `port` at an address starting with `prefix` (IPv4).
    static func listening(onPort port: Int, prefix: String) -> Bool {
        guard let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else { return false }
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 3, fields[3] == "0A" else { continue }
            let local = fields[1].split(separator: ":")
            guard local.count == 2, Int(local[1], radix: 16) == port, let raw = UInt32(local[0], radix: 16) else {
                continue
            }
            // The kernel prints the address in host byte order of its little-endian bytes.
            let address = "\(raw & 0xff).\((raw >> 8) & 0xff).\((raw >> 16) & 0xff).\(raw >> 24)"
            if address.hasPrefix(prefix) { return true }
        }
        return false
    }
}
