import Foundation
import ReactorCore
import ReactorStore
import ZooKeeper

#if canImport(Glibc)
import Glibc
#endif

/// The `reactor up --demo` endpoint: instances on the process cloud behind the built-in tcp
/// balancer, and a load generator holding connections open through the balancer, in phases, so
/// that the instance count follows the load.
struct DemoEndpoint {
    static let name = "demo"
    static let rules = "2 <= active <= 8"
    static let minInstances = 1
    static let maxInstances = 5
    /// Held connections per phase; the cycle repeats.
    static let phases = [0, 12, 36, 12, 0]

    let client: ZooKeeperClient
    let balancerPort: Int
    let instanceScript: String

    /// A small HTTP instance (python's http.server on its own loopback address) that registers
    /// once it listens and unregisters when stopped.
    static let instanceScriptText = """
        #!/bin/sh
        set -u
        dir=$(mktemp -d)
        printf 'instance %s of %s\\n' "$REACTOR_INSTANCE_ID" "${REACTOR_ENDPOINT:-}" > "$dir/index.html"
        cd "$dir"
        python3 -m http.server --bind "$REACTOR_INSTANCE_IP" "$REACTOR_PORT" >/dev/null 2>&1 &
        server=$!
        stop() {
            curl -s -m 2 --interface "$REACTOR_INSTANCE_IP" -X POST "$REACTOR_API/v1.1/unregister" >/dev/null
            kill "$server" 2>/dev/null
            rm -rf "$dir"
            exit 0
        }
        trap stop TERM INT
        for _ in $(seq 1 100); do
            curl -s -o /dev/null -m 1 "http://$REACTOR_INSTANCE_IP:$REACTOR_PORT/" && break
            sleep 0.1
        done
        curl -s -m 5 --interface "$REACTOR_INSTANCE_IP" -X POST "$REACTOR_API/v1.1/register" >/dev/null
        wait "$server"

        """

    static func writeInstanceScript() throws -> String {
        let path = NSTemporaryDirectory() + "reactor-demo-instance-\(getpid()).sh"
        try instanceScriptText.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    var configuration: JSONValue {
        .object([
            "endpoint": .object([
                "url": .string("tcp://127.0.0.1:\(balancerPort)"), "loadbalancer": .string("tcp"),
                "cloud": .string("process"), "port": .string("9000"),
            ]),
            "scaling": .object([
                "min_instances": .string("\(Self.minInstances)"), "max_instances": .string("\(Self.maxInstances)"),
                "rules": .string(Self.rules),
            ]),
            "cloud:process": .object([
                "command": .string("sh \(instanceScript)"), "addresses": .string("127.0.1.0/24"),
            ]),
        ])
    }

    func create() async throws {
        let store = ReactorStore(client: client)
        _ = try await store.createOrUpdateEndpoint(named: Self.name, configuration: configuration)
        let id = try await store.endpointID(named: Self.name)
        try await store.setEndpointState(.running, id: id, name: Self.name)
    }

    /// Cycles through the load phases until cancelled, printing the load, the instance count
    /// and the endpoint's log as they change. Closes every connection it holds when cancelled.
    func run(phase: Duration) async {
        let store = ReactorStore(client: client)
        guard let id = try? await store.endpointID(named: Self.name) else { return }
        var held: [Int32] = []
        defer { for fd in held { close(fd) } }
        var lastCount = -1
        var lastLog = Date().timeIntervalSince1970
        var phaseIndex = 0
        var phaseStarted = ContinuousClock.now - phase
        while !Task.isCancelled {
            if ContinuousClock.now - phaseStarted >= phase {
                let wanted = Self.phases[phaseIndex % Self.phases.count]
                phaseIndex += 1
                phaseStarted = ContinuousClock.now
                while held.count > wanted, let fd = held.popLast() { close(fd) }
                while held.count < wanted, let fd = Self.connect(port: balancerPort) { held.append(fd) }
                print("load: \(held.count) open connection(s) through tcp://127.0.0.1:\(balancerPort)")
            }
            let count = (try? await store.instances(id: id).count) ?? 0
            let live = (try? await store.confirmedIPs(id: id).count) ?? 0
            if count != lastCount {
                print("instances: \(count) (\(live) registered)")
                lastCount = count
            }
            for entry in (try? await store.endpointLog(id: id, since: lastLog)) ?? [] where entry.timestamp > lastLog {
                print("  log: \(entry.message)")
                lastLog = entry.timestamp
            }
            fflush(nil)
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// An idle TCP connection through the balancer (the instance waits for a request, so the
    /// connection stays open and counts as `active`).
    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        return fd
    }
}
