import Foundation
import ReactorCore
import ReactorStore
import ZooKeeper

/// Carries out a ``ScalingPlan``'s actions for one endpoint, in order. Every change to the
/// endpoint's records is a fenced batch (``EndpointOwnership/fenced(_:_:)``), made before the
/// cloud is asked to act, so a manager that lost the endpoint changes nothing; a fenced step
/// that fails ends the pass (the error is thrown), bookkeeping that fails is logged.
struct ScalingExecutor {
    let store: ReactorStore
    let ownership: EndpointOwnership
    let claim: OwnershipClaim
    let endpoint: CloudEndpoint
    let cloud: any CloudDriver
    let log: (LogEntry.Severity, String) async -> Void

    var id: String { endpoint.id }

    /// What carrying out a plan came to, besides its writes.
    struct Report: Sendable {
        /// Why a launch failed (prepare or start); the launches after it in the plan were not tried.
        var launchFailure: String?
        /// Instances launched.
        var launched = 0
    }

    /// Carries out `actions` in order; the first that throws ends it. After a launch that failed,
    /// the plan's other launches are skipped: the owner holds launches back from then on.
    @discardableResult
    func apply(_ actions: [ScalingPlan.Action]) async throws -> Report {
        var report = Report()
        for action in actions {
            guard case .launch(let target) = action else {
                try await apply(action)
                continue
            }
            guard report.launchFailure == nil else { continue }
            do {
                try await launch(target: target)
                report.launched += 1
                ManagerMetrics.current?.launched(endpoint: endpoint.name)
            } catch let failure as LaunchFailure {
                report.launchFailure = failure.reason
            }
        }
        return report
    }

    /// A launch that could not be made; what could be undone was.
    struct LaunchFailure: Error {
        var reason: String
    }

    func apply(_ action: ScalingPlan.Action) async throws {
        switch action {
        case .retire(let instance, let ips, let destination):
            try await retire(instance, ips: ips, movingTo: directory(destination))
        case .writeMarks(let instance, let marks, let mayBeAbsent):
            try await fenced([
                try await store.writeMarksOperation(instance, id: id, data: marks.json, mayBeAbsent: mayBeAbsent)
            ])
        case .dropMarks(let instance):
            await dropMarks(instance)
        case .log(let severity, let message):
            await log(severity, message)
        case .deleteFromCloud(let instance):
            try await cloud.delete(instance, of: endpoint)
            ManagerMetrics.current?.deleted(endpoint: endpoint.name)
        case .removeErroredRecord(let instance, let name):
            do {
                try await store.removeErroredRecord(instance, id: id)
            } catch {
                // The record only keeps the failure visible; the next pass's owner sees it again.
                await log(.warning, "could not remove the errored record of \(name): \(error)")
            }
        case .removeDecommissioned(let instance):
            try await fenced([store.removeInstanceOperation(instance, id: id, from: EndpointNode.decommissioned)])
        case .recommission(let instance, let name):
            try await fenced([
                store.removeInstanceOperation(instance, id: id, from: EndpointNode.decommissioned),
                store.recordInstanceOperation(instance, name: name, id: id),
            ])
        case .confirmIP(let ip, let instance, let name):
            do {
                try await store.confirmInstanceIP(ip, id: id, name: endpoint.name, instance: instance)
            } catch {
                await log(.warning, "could not confirm \(ip) again for \(name): \(error)")
            }
        case .launch(let target):
            try await launch(target: target)
            ManagerMetrics.current?.launched(endpoint: endpoint.name)
        }
    }

    /// Where a retired record goes in the store.
    private func directory(_ destination: ScalingPlan.Destination) -> String? {
        switch destination {
        case .dropped: nil
        case .decommissioned: EndpointNode.decommissioned
        case .errored: EndpointNode.errored
        }
    }

    /// Records the new instance (fenced), then starts it.
    /// - Throws: ``LaunchFailure`` when the cloud cannot prepare or start it (nothing is left
    ///   recorded), or the fence's error.
    func launch(target: Int) async throws {
        let prepared = try await RetryPolicy.conflicts.repeating {
            () async throws -> RetryPolicy.Attempt<PreparedLaunch> in
            let prepared: PreparedLaunch
            do {
                prepared = try await cloud.prepare(for: endpoint)
            } catch let error as CloudError {
                throw LaunchFailure(reason: "\(error)")
            }
            do {
                try await fenced(
                    [store.recordInstanceOperation(prepared.instance.id, name: prepared.instance.name, id: id)]
                        + prepared.operations)
                return .done(prepared)
            } catch let error as ZooKeeperError where error.code == .nodeExists {
                // Another launch leased the same address between prepare and commit: again.
                return .again(error)
            }
        }
        do {
            try await cloud.start(prepared, endpoint: endpoint)
            await log(
                .info,
                "launched instance \(prepared.instance.name) at \(prepared.instance.ips.joined(separator: ",")) (target \(target))"
            )
        } catch {
            // Said once by the owner (the endpoint's LaunchFailing condition and its log line),
            // not once per attempt.
            // What cannot be undone here is retired later as an instance that never registered.
            do {
                try await fenced([
                    store.removeInstanceOperation(prepared.instance.id, id: id, from: EndpointNode.instances)
                ])
            } catch {
                await log(.warning, "could not remove the record of \(prepared.instance.name): \(error)")
            }
            do {
                try await cloud.delete(prepared.instance.id, of: endpoint)
            } catch {
                await log(.warning, "could not delete instance \(prepared.instance.name): \(error)")
            }
            throw LaunchFailure(reason: "\(error)")
        }
    }

    /// Takes `instance` out of `instances/` together with every IP confirmed for it, in one
    /// fenced batch (see ``InstanceRetirement``): the confirmed IPs are read again here, not taken
    /// from the pass's snapshot, and a registration confirmed between this read and the batch
    /// makes the batch fail and be read again.
    /// - Parameters:
    ///   - ips: the addresses the cloud lists for it; nil when it is not listed (every confirmed
    ///     IP of the endpoint is checked).
    ///   - movingTo: where its record goes (decommissioned, errored), nil to drop it.
    func retire(_ instance: String, ips: [String]?, movingTo directory: String?) async throws {
        try await RetryPolicy.conflicts.repeating { () async throws -> RetryPolicy.Attempt<Void> in
            guard
                let retirement = try await store.retirement(of: instance, id: id, ips: ips, movingTo: directory)
            else { return .done(()) }  // no record any more: someone retired it already
            do {
                try await ownership.fenced(claim, retirement.operations)
                return .done(())
            } catch let error as ZooKeeperError where [.badVersion, .noNode, .nodeExists].contains(error.code) {
                return .again(error)  // a registration or cleanup changed the records since the read
            }
        }
    }

    /// Applies `operations` fenced; when something the batch meant to delete was already gone
    /// (an unregistration, a racing cleanup), the steps that still make sense one by one.
    func fenced(_ operations: [MultiOperation]) async throws {
        do {
            try await ownership.fenced(claim, operations)
        } catch let error as ZooKeeperError where error.code == .noNode {
            for operation in operations {
                do {
                    try await ownership.fenced(claim, [operation])
                } catch let error as ZooKeeperError where [.noNode, .nodeExists].contains(error.code) {
                    continue
                }
            }
        }
    }

    /// Marks are bookkeeping, not actions: removed without a fence, and a missing one is fine.
    func dropMarks(_ instance: String) async {
        do {
            try await store.dropInstanceMarks(instance, id: id)
        } catch {
            // Stale marks only delay a later timeout of a re-used id; said, not fatal.
            await log(.warning, "could not remove the marks of instance \(instance): \(error)")
        }
    }
}
