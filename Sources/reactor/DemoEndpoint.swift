import Foundation
import LocalServices
import ProcessSupport
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
    /// once it listens and unregisters when stopped: examples/instances/http-instance.sh, kept
    /// here so that an installed `reactor` needs no checkout for its demo.
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
        let id: String
        do {
            id = try await store.endpointID(named: Self.name)
        } catch {
            print("the demo endpoint cannot be read: \(error)")
            return
        }
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
                // An idle connection: the instance waits for a request, so it stays open and counts as `active`.
                while held.count < wanted, let fd = LoopbackPorts.connect(port: balancerPort) { held.append(fd) }
                print("load: \(held.count) open connection(s) through tcp://127.0.0.1:\(balancerPort)")
            }
            do {
                let count = try await store.instances(id: id).count
                let live = try await store.confirmedIPs(id: id).count
                if count != lastCount {
                    print("instances: \(count) (\(live) registered)")
                    lastCount = count
                }
                // Entries after `since` only: two with the same time are both shown.
                for entry in try await store.endpointLog(id: id, since: lastLog) {
                    print("  log: \(entry.message)")
                    lastLog = entry.timestamp
                }
            } catch {
                // ZooKeeper unreachable for a moment: shown, and the next round reads again.
                print("demo: cannot read the endpoint: \(error)")
            }
            fflush(nil)
            await Pause.orUntilCancelled(.seconds(1))
        }
    }
}
