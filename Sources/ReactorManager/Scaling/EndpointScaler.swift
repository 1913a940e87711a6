import Foundation
import Logging
import ReactorCore
import ReactorStore
import ZooKeeper

/// The owner's work for one endpoint in one pass (DESIGN.md §4): instance health and lifecycle,
/// the target count from the scaling rules, and the launches, recommissions and
/// decommissions that move towards it, at most `ramp_limit` per pass.
///
/// Every change to the endpoint's records is a fenced batch (``EndpointOwnership/fenced(_:_:)``),
/// made before the cloud is asked to act, so a manager that lost the endpoint changes nothing.
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

    func children(_ directory: String) async throws -> [String] {
        try await store.instanceIDs(id: id, in: directory)
    }

    /// - Parameter pending: connections the front doors hold for this endpoint's URL (no live
    ///   backend): at least one instance is wanted while there are any (scale from zero).
    ///   - errors: failures the balancers reported this pass, by instance IP: each pass with some
    ///     is an error mark; `error_marks` marks in a row move the instance to errored (replaced).
    ///   - launchesHeld: no launch this pass (instances kept failing; recommissioning still happens).
    /// - Returns: how many instances failed (cloud reports, error marks) and were deleted, and the
    ///   decision to record.
    @discardableResult
    func run(
        state: EndpointState, metrics: WeightedMetrics, pending: Int = 0, errors: [String: Double] = [:],
        launchesHeld: Bool = false
    ) async throws -> Outcome {
        guard state != .paused else {
            let pass = await plan(
                state: state, metrics: metrics, current: try await store.instances(id: id).count, pending: pending,
                launchesHeld: launchesHeld, recommissionable: 0)
            return Outcome(failures: 0, record: pass.record, dryRunLog: [])
        }
        var failures = 0
        try await store.ensureInstanceDirectories(id: id)
        let known = Dictionary(uniqueKeysWithValues: try await cloud.instances(of: endpoint).map { ($0.id, $0) })
        let confirmed = Set(try await children(EndpointNode.confirmedIPs))
        var active = Set(try await children(EndpointNode.instances))
        var decommissioned = Set(try await children(EndpointNode.decommissioned))

        // Health of the active instances.
        for instance in active.sorted() {
            var marks = try await readMarks(instance)
            let before = marks
            guard let cloudInstance = known[instance] else {
                marks.unknown += elapsed
                if marks.unknown >= Double(config.unknownTimeout) {
                    try await retire(instance, ips: nil)
                    await dropMarks(instance)
                    active.remove(instance)
                    await log(
                        .warning, "forgot instance \(instance): the cloud has not listed it for \(Int(marks.unknown)) s"
                    )
                    continue
                }
                try await writeMarks(instance, marks, before)
                continue
            }
            marks.unknown = 0
            if cloudInstance.status == .failed {
                try await replaceErrored(
                    instance, cloudInstance,
                    because:
                        "instance \(cloudInstance.name) failed: \(cloudInstance.failure ?? "the cloud reports it failed"); deleting it"
                )
                active.remove(instance)
                failures += 1
                continue
            }
            let reported = cloudInstance.ips.reduce(0) { $0 + (errors[$1] ?? 0) }
            marks.error = reported > 0 ? marks.error + 1 : 0
            if config.errorMarks > 0 && marks.error >= Double(config.errorMarks) {
                try await replaceErrored(
                    instance, cloudInstance,
                    because:
                        "instance \(cloudInstance.name) errored: the balancers reported failures in \(Int(marks.error)) passes in a row (error_marks \(config.errorMarks)); deleting it"
                )
                active.remove(instance)
                failures += 1
                continue
            }
            if cloudInstance.ips.contains(where: confirmed.contains) {
                marks.unregistered = 0
            } else {
                marks.unregistered += elapsed
                if marks.unregistered >= Double(config.unregisteredTimeout) {
                    try await retire(instance, ips: cloudInstance.ips)
                    await dropMarks(instance)
                    active.remove(instance)
                    await log(
                        .warning,
                        "deleting instance \(cloudInstance.name): it did not register within \(config.unregisteredTimeout) s"
                    )
                    try await cloud.delete(instance, of: endpoint)
                    continue
                }
            }
            try await writeMarks(instance, marks, before)
        }

        // Decommissioned instances: deleted once idle past the timeout, or at once when stopped.
        for instance in decommissioned.sorted() {
            var marks = try await readMarks(instance)
            let before = marks
            marks.decommissioned += elapsed
            if state == .stopped || marks.decommissioned >= Double(config.decommissionedTimeout)
                || known[instance] == nil
            {
                try await fenced([store.removeInstanceOperation(instance, id: id, from: EndpointNode.decommissioned)])
                await dropMarks(instance)
                decommissioned.remove(instance)
                await log(.info, "deleting decommissioned instance \(known[instance]?.name ?? instance)")
                try await cloud.delete(instance, of: endpoint)
                continue
            }
            try await writeMarks(instance, marks, before)
        }

        // The target.
        let current = active.count
        let pass = await plan(
            state: state, metrics: metrics, current: current, pending: pending, launchesHeld: launchesHeld,
            recommissionable: decommissioned.count)
        let outcome = Outcome(failures: failures, record: pass.record, dryRunLog: pass.dryRunLog)
        if config.scaling.dryRun { return outcome }
        let target = pass.target
        let limit = state == .stopped ? Int.max : max(1, config.scaling.rampLimit)

        if target > current {
            var needed = min(target - current, limit)
            for instance in decommissioned.sorted() where needed > 0 {
                guard let cloudInstance = known[instance], cloudInstance.status == .running else { continue }
                try await fenced(
                    [
                        store.removeInstanceOperation(instance, id: id, from: EndpointNode.decommissioned),
                        store.recordInstanceOperation(instance, name: cloudInstance.name, id: id),
                    ]
                )
                await dropMarks(instance)
                for ip in cloudInstance.ips {
                    do {
                        try await store.confirmInstanceIP(ip, id: id, name: endpoint.name, instance: instance)
                    } catch {
                        await log(.warning, "could not confirm \(ip) again for \(cloudInstance.name): \(error)")
                    }
                }
                needed -= 1
                await log(.info, "recommissioned instance \(cloudInstance.name) (target \(target))")
            }
            if !launchesHeld {
                for _ in 0..<needed { try await launch(target: target) }
            }
        } else if target < current {
            let victims = try await scaleInOrder(active.sorted(), known: known, confirmed: confirmed).prefix(
                min(current - target, limit))
            for instance in victims {
                let cloudInstance = known[instance]
                try await retire(instance, ips: cloudInstance?.ips, movingTo: EndpointNode.decommissioned)
                await log(.info, "decommissioned instance \(cloudInstance?.name ?? instance) (target \(target))")
            }
        }
        return outcome
    }

    /// Records the new instance (fenced), then starts it.
    func launch(target: Int) async throws {
        var prepared = try await cloud.prepare(for: endpoint)
        var attempt = 1
        while true {
            do {
                try await fenced(
                    [store.recordInstanceOperation(prepared.instance.id, name: prepared.instance.name, id: id)]
                        + prepared.operations)
                break
            } catch let error as ZooKeeperError where error.code == .nodeExists && attempt < 5 {
                // Another launch leased the same address between prepare and commit: again.
                attempt += 1
                prepared = try await cloud.prepare(for: endpoint)
            }
        }
        do {
            try await cloud.start(prepared, endpoint: endpoint)
            await log(
                .info,
                "launched instance \(prepared.instance.name) at \(prepared.instance.ips.joined(separator: ",")) (target \(target))"
            )
        } catch {
            await log(.error, "could not start instance \(prepared.instance.name): \(error)")
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
        }
    }

    /// Scale-in preference: instances that never registered, then the idlest (fewest `active`
    /// connections reported for their IPs), newest last among equals.
    func scaleInOrder(_ instances: [String], known: [String: CloudInstance], confirmed: Set<String>) async throws
        -> [String]
    {
        var scored: [(String, Int, Double)] = []
        for instance in instances {
            let ips = known[instance]?.ips ?? []
            let registered = ips.contains(where: confirmed.contains) ? 1 : 0
            var load = 0.0
            for ip in ips {
                // An unreadable sample counts as no load: it only orders the scale-in candidates.
                if let sample = try? await store.ipMetrics(id: id, ip: ip),
                    case .array(let pair)? = sample.objectValue?["active"],
                    pair.count == 2, let value = pair[1].numberValue
                {
                    load += value
                }
            }
            scored.append((instance, registered, load))
        }
        return scored.sorted { ($0.1, $0.2, $0.0) < ($1.1, $1.2, $1.0) }.map(\.0)
    }

    /// Moves `instance` to errored (its confirmed IPs released), says why, and deletes it from the
    /// cloud; the scaling that follows replaces it.
    func replaceErrored(
        _ instance: String, _ cloudInstance: CloudInstance, because reason: String
    ) async throws {
        try await retire(instance, ips: cloudInstance.ips, movingTo: EndpointNode.errored)
        await dropMarks(instance)
        await log(.error, reason)
        try await cloud.delete(instance, of: endpoint)
        do {
            try await store.removeErroredRecord(instance, id: id)
        } catch {
            // The record only keeps the failure visible; the next pass's owner sees it again.
            await log(.warning, "could not remove the errored record of \(cloudInstance.name): \(error)")
        }
    }

    /// Takes `instance` out of `instances/` together with every IP confirmed for it, in one
    /// fenced batch (see ``InstanceRetirement``): the confirmed IPs are read again here, not taken
    /// from the pass's first read, and a registration confirmed between this read and the batch
    /// makes the batch fail and be read again.
    /// - Parameters:
    ///   - ips: the addresses the cloud lists for it; nil when it is not listed (every confirmed
    ///     IP of the endpoint is checked).
    ///   - movingTo: where its record goes (decommissioned, errored), nil to drop it.
    func retire(_ instance: String, ips: [String]?, movingTo directory: String? = nil) async throws {
        for attempt in 1...5 {
            guard
                let retirement = try await store.retirement(of: instance, id: id, ips: ips, movingTo: directory)
            else { return }  // no record any more: someone retired it already
            do {
                try await ownership.fenced(claim, retirement.operations)
                return
            } catch let error as ZooKeeperError
                where [.badVersion, .noNode, .nodeExists].contains(error.code) && attempt < 5
            {
                continue  // a registration or cleanup changed the records since the read
            }
        }
    }

    func fenced(_ operations: [MultiOperation]) async throws {
        do {
            try await ownership.fenced(claim, operations)
        } catch let error as ZooKeeperError where error.code == .noNode {
            // Something the batch meant to delete was already gone (an unregistration, a racing
            // cleanup): apply the steps that still make sense one by one, each fenced.
            for operation in operations {
                do {
                    try await ownership.fenced(claim, [operation])
                } catch let error as ZooKeeperError where [.noNode, .nodeExists].contains(error.code) {
                    continue
                }
            }
        }
    }

    func readMarks(_ instance: String) async throws -> InstanceMarks {
        guard let bytes = try await store.instanceMarks(instance, id: id) else { return InstanceMarks() }
        return InstanceMarks(bytes: bytes)
    }

    func writeMarks(_ instance: String, _ marks: InstanceMarks, _ before: InstanceMarks) async throws {
        guard marks != before else { return }
        try await fenced([
            try await store.writeMarksOperation(instance, id: id, data: marks.json, mayBeAbsent: before.isEmpty)
        ])
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
