import Foundation
import Logging
import ReactorCore
import ReactorStore
import ServiceLifecycle
import ZooKeeper

/// The manager agent (docs/design.md#managers): registers, takes its share of the endpoints on the ring,
/// and runs the loop for the endpoints it owns.
///
/// A `Service`: `run()` is the manager's life. It returns on graceful shutdown (SIGTERM/SIGINT
/// through its `ServiceGroup`) or when its task is cancelled, after giving up its endpoints and
/// unregistering so the others take over at once.
public struct ManagerService: Service, Sendable {
    public let client: ZooKeeperClient
    public let store: ReactorStore
    public let identity: ManagerIdentity
    public let settings: ManagerSettings
    /// The step the passes are in, for the log when one takes far too long.
    let progress = PassProgress()

    public init(client: ZooKeeperClient, identity: ManagerIdentity, settings: ManagerSettings) {
        self.client = client
        self.store = ReactorStore(client: client)
        self.identity = identity
        self.settings = settings
    }

    public func run() async throws {
        try await store.prepareLayout(acceptOpenACL: settings.acceptOpenACL)
        if let exposure = settings.exposeAPI { try await exposure.ensure(store, logger: settings.logger) }
        settings.logger.info(
            "manager starting",
            metadata: [
                "manager.name": "\(identity.name)", "manager.id": "\(identity.id)",
                "manager.clouds": "\(identity.clouds)", "manager.loadbalancers": "\(identity.loadBalancers)",
            ])
        // The passes run in a task of their own, cancelled on graceful shutdown (or when run() is
        // cancelled): a pass in progress stops at its next wait, so that a stop is quick (an
        // instance being ended is not waited for). Handing over and unregistering then run here,
        // where nothing was cancelled by the shutdown, so their waits take the time they need.
        // (Not ServiceLifecycle's `gracefulShutdown()` among the loop's waits: a wait on it that
        // is cancelled as it starts can miss the cancellation and never end.)
        let passes = Task { await runPasses() }
        let progress = self.progress
        let interval = settings.interval ?? settings.defaultInterval
        let logger = settings.logger
        // Far longer than a pass takes: 10 s, or ten intervals.
        let watchdog = Task { await progress.watch(limit: { max(.seconds(10), interval * 10) }, logger: logger) }
        defer { watchdog.cancel() }
        let handOver = await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await passes.value
            } onGracefulShutdown: {
                passes.cancel()
            }
        } onCancel: {
            passes.cancel()
        }
        if let report = settings.endHostInstancesOnShutdown {
            // The passes have stopped: nothing launches a replacement meanwhile.
            await handOver.loop.endHostInstances(report: report)
        }
        await handOver.loop.shutdown()
    }

    /// The loop's life until its task is cancelled; returns the loop for the hand-over.
    private func runPasses() async -> LoopHandOver {
        var loop = ManagerLoop(service: self, identity: identity)
        while !Task.isCancelled {
            let started = ContinuousClock.now
            let before = client.operationCounts
            var failed = false
            do {
                try await ManagerMetrics.$current.withValue(settings.metrics) { try await loop.pass() }
            } catch is CancellationError {
                break
            } catch {
                if Task.isCancelled { break }
                failed = true
                if let error = error as? ZooKeeperError { settings.metrics?.zooKeeperError("\(error.code)") }
                settings.logger.warning("manager pass failed: \(error)")
            }
            if let next = loop.registrationChange {
                // Ring keys or drivers changed: hand everything over and join again as a new
                // member (a registration never changes under its uuid).
                await loop.shutdown()
                loop = ManagerLoop(service: self, identity: next)
                continue
            }
            loop.lastPassDuration = ContinuousClock.now - started
            let after = client.operationCounts
            settings.metrics?.pass(
                duration: loop.lastPassDuration, reads: after.reads - before.reads,
                writes: after.writes - before.writes,
                failed: failed, owned: loop.claims.count, known: loop.endpoints.entries.count,
                watches: client.registeredWatches)
            settings.logger.debug(
                "pass: \(Int(ManagerLoop.seconds(loop.lastPassDuration) * 1000)) ms, \(after.reads - before.reads) reads, \(after.writes - before.writes) writes, owns \(loop.claims.count) of \(loop.endpoints.entries.count) endpoints"
            )
            await loop.waitForNextPass()
        }
        return LoopHandOver(loop)
    }
}

/// The loop's state handed from the task that ran the passes to `run()`, which ends it.
final class LoopHandOver: @unchecked Sendable {
    // @unchecked: written once by the passes' task as it ends, read by run() only after that
    // task's value was awaited; never touched by both at once.
    var loop: ManagerLoop

    init(_ loop: ManagerLoop) {
        self.loop = loop
    }
}

/// How long an endpoint's launches are held back after its instances failed.
struct LaunchBackoff {
    var failures: Int
    var lastFailure: ContinuousClock.Instant
    var until: ContinuousClock.Instant
    /// What failed last: instances, or the launches themselves.
    var cause: EndpointCondition.Kind = .instancesFailing
    /// The last failure in words.
    var reason = ""
}
