import Foundation
import ProcessSupport
import ReactorStore
import ServiceLifecycle
import ZooKeeper

/// The demo of `reactor up --demo` as a service: creates the demo endpoint, runs the load until
/// graceful shutdown, then (on a shared ZooKeeper, which keeps the endpoint) leaves it STOPPED
/// with no instance.
struct DemoService: Service {
    let client: ZooKeeperClient
    let balancerPort: Int
    let phase: Duration
    /// Whether the endpoint outlives this run (a shared ZooKeeper): stop it before leaving.
    let keepsEndpoint: Bool

    func run() async throws {
        let endpoint: DemoEndpoint
        let script: String
        do {
            script = try DemoEndpoint.writeInstanceScript()
            endpoint = DemoEndpoint(client: client, balancerPort: balancerPort, instanceScript: script)
            try await endpoint.create()
        } catch {
            say("demo: could not set up the demo endpoint: \(error)")
            say("Press Ctrl-C to stop.")
            await untilGracefulShutdown()
            return
        }
        defer {
            if unlink(script) != 0 && errno != ENOENT { say("demo: cannot remove \(script): errno \(errno)") }
        }
        say("demo: endpoint 'demo' on the process cloud, balanced on tcp://127.0.0.1:\(balancerPort)")
        say("demo: rules '\(DemoEndpoint.rules)', \(DemoEndpoint.minInstances)–\(DemoEndpoint.maxInstances) instances")
        say("Press Ctrl-C to stop.")
        let phase = phase
        let load = Task { await endpoint.run(phase: phase) }
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await load.value
            } onGracefulShutdown: {
                load.cancel()
            }
        } onCancel: {
            load.cancel()
        }
        if keepsEndpoint { await stopDemo() }
    }

    /// Sets the demo endpoint STOPPED and waits (up to 20 s) until its instances are gone.
    private func stopDemo() async {
        let store = ReactorStore(client: client)
        do {
            let id = try await store.endpointID(named: DemoEndpoint.name)
            try await store.setEndpointState(.stopped, id: id, name: DemoEndpoint.name)
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline, try await store.instances(id: id).count > 0 {
                await Pause.orUntilCancelled(.milliseconds(250))
            }
        } catch {
            say("demo: cannot stop the demo endpoint: \(error)")
        }
    }
}

/// Says "stopping …" when SIGTERM or SIGINT arrives (the last service: the first to hear it).
struct StoppingNotice: Service {
    func run() async throws {
        await untilGracefulShutdown()
        say("stopping …")
    }
}

/// Waits for graceful shutdown (SIGTERM, SIGINT) or the task's cancellation, which is all that
/// service-lifecycle's `gracefulShutdown()` throws.
func untilGracefulShutdown() async {
    do {
        try await gracefulShutdown()
    } catch {
        return  // cancelled: the service group is ending anyway
    }
}
