import Foundation
import ReactorCore
import ReactorManager
import ReactorStore
import ServiceLifecycle
import Testing
import ZooKeeper
import ZooKeeperTesting

/// The manager as a `Service`: its interval is timed on an injected clock, and a graceful
/// shutdown of its group hands everything over before `run()` returns.
@Suite("Manager lifecycle")
struct ManagerLifecycleTests {
    static func manager(_ name: String, clock: LoopClock) async throws -> (
        ZooKeeperClient, ReactorStore, ManagerService
    ) {
        let namespace = try await SharedZooKeeper.instance.namespace(name)
        let zk = try await ZooKeeperClient.connect(.init(connectString: namespace))
        let store = ReactorStore(client: zk)
        try await store.prepareLayout()
        let identity = ManagerIdentity(name: name, clouds: ["process"], loadBalancers: [], ips: [])
        var settings = ManagerSettings(interval: .seconds(3600))
        settings.logger.logLevel = .warning
        settings.clock = clock
        return (zk, store, ManagerService(client: zk, identity: identity, settings: settings))
    }

    @Test(.timeLimit(.minutes(1))) func theIntervalIsTimedOnTheInjectedClock() async throws {
        let clock = ManualClock()
        let (zk, store, service) = try await Self.manager("manual-clock", clock: LoopClock(clock))
        let running = Task { try await service.run() }
        defer { running.cancel() }
        try await eventually("registered, first pass done, waiting on the clock") {
            try await !store.activeManagers().isEmpty && clock.sleepers == 1
        }
        let idle = zk.operationCounts.reads
        try await Task.sleep(for: .seconds(1))
        #expect(zk.operationCounts.reads == idle, "no pass while the clock stands still")

        clock.advance(by: .seconds(3599))
        try await Task.sleep(for: .milliseconds(300))
        #expect(zk.operationCounts.reads == idle, "still none a second before the interval ends")

        clock.advance(by: .seconds(1))
        try await eventually("the interval on the clock ends: a pass runs and the loop waits again") {
            zk.operationCounts.reads > idle && clock.sleepers == 1
        }
        running.cancel()
        _ = await running.result
        await zk.close()
    }

    @Test(.timeLimit(.minutes(1))) func gracefulShutdownHandsOverAndUnregisters() async throws {
        let (zk, store, service) = try await Self.manager("graceful", clock: .continuous)
        let observer = ReactorStore(
            client: try await ZooKeeperClient.connect(.init(connectString: zk.configuration.connectString)))
        let id = try await store.createEndpoint(named: "web", configuration: .object([:]))
        let group = ServiceGroup(configuration: .init(services: [service], logger: service.settings.logger))
        let running = Task { try await group.run() }
        try await eventually("owns the endpoint") {
            try await observer.client.exists(ZNodeLayout.endpoint(id, EndpointNode.manager)) != nil
        }
        await group.triggerGracefulShutdown()
        let result = await running.result
        #expect(throws: Never.self, "run() returned normally on graceful shutdown") { try result.get() }
        #expect(try await observer.activeManagers().isEmpty, "unregistered before run() returned")
        #expect(
            try await observer.client.exists(ZNodeLayout.endpoint(id, EndpointNode.manager)) == nil,
            "released its endpoint before run() returned")
        await observer.client.close()
        await zk.close()
    }
}
