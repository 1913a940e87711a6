import Foundation
import ReactorCore
import ReactorStore
import ZooKeeper

/// The owner's scaling of one endpoint in one pass (docs/design.md#scaling): reads a
/// ``ScalingPlan/Snapshot`` of the endpoint, makes the ``ScalingPlan`` (instance health and
/// lifecycle, the target count from the scaling rules, the launches, recommissions and
/// decommissions that move towards it, at most `ramp_limit` per pass) and has a
/// ``ScalingExecutor`` carry it out, every change to the records fenced.
struct EndpointScaler {
    let store: ReactorStore
    let ownership: EndpointOwnership
    let claim: OwnershipClaim
    let endpoint: CloudEndpoint
    let config: EndpointConfig
    let cloud: any CloudDriver
    /// Seconds of loop time since this endpoint's previous pass.
    let elapsed: Double
    let log: (LogEntry.Severity, String) async -> Void

    var id: String { endpoint.id }

    /// What a pass came to.
    struct Outcome: Sendable {
        /// Instances that failed (cloud reports, error marks) and were deleted.
        var failures: Int
        /// The decision to record (written by the caller when it changed).
        var record: DecisionRecord
        /// Under `dry_run`: what would have been done, for the endpoint log when the record changed.
        var dryRunLog: [String]
        /// The conditions the pass showed (kind → reason).
        var conditions: [EndpointCondition.Kind: String] = [:]
        /// Why a launch failed this pass, if one did.
        var launchFailure: String?
        /// Whether the plan wanted more instances than are active (launched, held back or not).
        var wantedLaunches = false
    }

    var executor: ScalingExecutor {
        ScalingExecutor(store: store, ownership: ownership, claim: claim, endpoint: endpoint, cloud: cloud, log: log)
    }

    /// - Parameters:
    ///   - pending: connections the front doors hold for this endpoint's URL (no live backend):
    ///     at least one instance is wanted while there are any (scale from zero).
    ///   - errors: failures the balancers reported this pass, by instance IP: each pass with some
    ///     is an error mark; `error_marks` marks in a row move the instance to errored (replaced).
    ///   - launchesHeld: no launch this pass (instances kept failing; recommissioning still happens).
    /// - Returns: how many instances failed (cloud reports, error marks) and were deleted, and the
    ///   decision to record.
    @discardableResult
    func run(
        state: EndpointState, metrics: WeightedMetrics, pending: Int = 0, errors: [String: Double] = [:],
        launchesHeld: Bool = false, backendsWereUnconfirmed: Bool = false
    ) async throws -> Outcome {
        var snapshot = ScalingPlan.Snapshot(
            config: config, state: state, metrics: metrics, pending: pending, errors: errors,
            launchesHeld: launchesHeld, backendsWereUnconfirmed: backendsWereUnconfirmed, elapsed: elapsed,
            now: Date().timeIntervalSince1970)
        guard state != .paused else {
            snapshot.active = Set(try await store.instances(id: id))
            let plan = ScalingPlan(snapshot)
            return Outcome(failures: 0, record: plan.record, dryRunLog: [])
        }
        try await read(into: &snapshot)
        var plan = ScalingPlan(snapshot)
        if !plan.loadsWanted.isEmpty {
            // The plan scales in: who goes first depends on the load, read only now.
            snapshot.loads = await loads(of: plan.loadsWanted)
            plan = ScalingPlan(snapshot)
        }
        let report = try await executor.apply(plan.actions)
        return Outcome(
            failures: plan.failures, record: plan.record, dryRunLog: plan.dryRunLog, conditions: plan.conditions,
            launchFailure: report.launchFailure,
            wantedLaunches: plan.record.target > plan.record.decision.current)
    }

    /// Reads the endpoint's records, what the cloud lists and the instances' marks.
    func read(into snapshot: inout ScalingPlan.Snapshot) async throws {
        try await store.ensureInstanceDirectories(id: id)
        snapshot.cloudInstances = Dictionary(
            uniqueKeysWithValues: try await cloud.instances(of: endpoint).map { ($0.id, $0) })
        snapshot.confirmedIPs = Set(try await store.instanceIDs(id: id, in: EndpointNode.confirmedIPs))
        snapshot.active = Set(try await store.instanceIDs(id: id, in: EndpointNode.instances))
        snapshot.decommissioned = Set(try await store.instanceIDs(id: id, in: EndpointNode.decommissioned))
        for instance in snapshot.active.union(snapshot.decommissioned).sorted() {
            guard let bytes = try await store.instanceMarks(instance, id: id) else { continue }
            snapshot.marks[instance] = InstanceMarks(bytes: bytes)
        }
    }

    /// The `active` connections the balancers last reported for each of `ips`.
    func loads(of ips: [String]) async -> [String: Double] {
        var loads: [String: Double] = [:]
        for ip in Set(ips) {
            // An unreadable sample counts as no load: it only orders the scale-in candidates.
            if let sample = try? await store.ipMetrics(id: id, ip: ip),
                case .array(let pair)? = sample.objectValue?["active"],
                pair.count == 2, let value = pair[1].numberValue
            {
                loads[ip] = value
            }
        }
        return loads
    }
}
