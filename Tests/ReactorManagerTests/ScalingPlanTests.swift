import ReactorCore
import ReactorStore
import Testing

@testable import ReactorManager

/// The pure scaling plan: a snapshot of an endpoint in, its pass's actions out, without
/// ZooKeeper or a cloud.
@Suite("Scaling plan")
struct ScalingPlanTests {
    /// One row: an endpoint's snapshot and the actions its pass takes, in order.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var snapshot: ScalingPlan.Snapshot
        /// ``ScalingPlanTests/decisionLine`` stands for the decision's explanation.
        var actions: [ScalingPlan.Action]
        var target: Int
        var failures = 0
        var holds: [DecisionRecord.Hold] = []

        var testDescription: String { name }
    }

    /// Stands for the log line of the decision's own explanation (``ScalingDecision/explanation``).
    static let decisionLine = ScalingPlan.Action.log(.info, "<the decision's explanation>")

    static func config(
        min: Int = 1, max: Int = 5, ramp: Int = 5, errorMarks: Int = 10, dryRun: Bool = false
    ) -> EndpointConfig {
        var config = EndpointConfig()
        config.scaling.minInstances = min
        config.scaling.maxInstances = max
        config.scaling.rampLimit = ramp
        config.scaling.dryRun = dryRun
        config.errorMarks = errorMarks
        return config
    }

    static func ip(_ n: Int) -> String { "10.0.0.\(n)" }

    /// Instance `i<n>`, named `web-<n>`, at `10.0.0.<n>`.
    static func instance(_ n: Int, _ status: CloudInstance.Status = .running, failure: String? = nil)
        -> CloudInstance
    {
        CloudInstance(id: "i\(n)", name: "web-\(n)", ips: [ip(n)], status: status, failure: failure)
    }

    static func marks(
        unregistered: Double = 0, unknown: Double = 0, decommissioned: Double = 0, error: Double = 0
    ) -> InstanceMarks {
        var marks = InstanceMarks()
        marks.unregistered = unregistered
        marks.unknown = unknown
        marks.decommissioned = decommissioned
        marks.error = error
        return marks
    }

    /// An endpoint 10 s after its previous pass.
    /// - Parameters:
    ///   - active: instances in `instances/`, listed by the cloud and confirmed unless named in
    ///     `unlisted` or `unconfirmed`.
    ///   - decommissioned: instances in `decommissioned/`, listed unless in `unlisted`.
    static func snapshot(
        _ config: EndpointConfig = config(), state: EndpointState = .running,
        active: [CloudInstance] = [], decommissioned: [CloudInstance] = [], unlisted: Set<String> = [],
        unconfirmed: Set<String> = [], marks: [String: InstanceMarks] = [:], errors: [String: Double] = [:],
        pending: Int = 0, launchesHeld: Bool = false, loads: [String: Double]? = nil
    ) -> ScalingPlan.Snapshot {
        var snapshot = ScalingPlan.Snapshot(
            config: config, state: state, metrics: WeightedMetrics(), pending: pending, errors: errors,
            launchesHeld: launchesHeld, elapsed: 10, now: 1_700_000_000)
        for instance in active + decommissioned where !unlisted.contains(instance.id) {
            snapshot.cloudInstances[instance.id] = instance
        }
        for instance in active where !unconfirmed.contains(instance.id) {
            snapshot.confirmedIPs.formUnion(instance.ips)
        }
        snapshot.active = Set(active.map(\.id))
        snapshot.decommissioned = Set(decommissioned.map(\.id))
        snapshot.marks = marks
        snapshot.loads = loads
        return snapshot
    }

    static let cases: [Case] = [
        Case(name: "a steady endpoint does nothing", snapshot: snapshot(active: [instance(1)]), actions: [], target: 1),
        Case(
            name: "scales up to min_instances", snapshot: snapshot(config(min: 2)),
            actions: [decisionLine, .launch(target: 2), .launch(target: 2)], target: 2),
        Case(
            name: "ramp_limit caps the launches of a pass", snapshot: snapshot(config(min: 4, ramp: 3)),
            actions: [decisionLine, .launch(target: 4), .launch(target: 4), .launch(target: 4)], target: 4,
            holds: [.rampLimit]),
        Case(
            name: "a ramp_limit below 1 still allows one", snapshot: snapshot(config(min: 2, ramp: 0)),
            actions: [decisionLine, .launch(target: 2)], target: 2, holds: [.rampLimit]),
        Case(
            name: "max_instances: the extra instances are decommissioned, lowest ids first without loads",
            snapshot: snapshot(config(min: 1, max: 1), active: [instance(1), instance(2), instance(3)]),
            actions: [
                decisionLine,
                .retire("i1", ips: [ip(1)], to: .decommissioned),
                .log(.info, "decommissioned instance web-1 (target 1)"),
                .retire("i2", ips: [ip(2)], to: .decommissioned),
                .log(.info, "decommissioned instance web-2 (target 1)"),
            ], target: 1),
        Case(
            name: "the idlest instances are decommissioned first",
            snapshot: snapshot(
                config(min: 1, max: 1), active: [instance(1), instance(2), instance(3)],
                loads: [ip(1): 5, ip(2): 3]),
            actions: [
                decisionLine,
                .retire("i3", ips: [ip(3)], to: .decommissioned),
                .log(.info, "decommissioned instance web-3 (target 1)"),
                .retire("i2", ips: [ip(2)], to: .decommissioned),
                .log(.info, "decommissioned instance web-2 (target 1)"),
            ], target: 1),
        Case(
            name: "an instance that never registered is decommissioned before an idle registered one",
            snapshot: snapshot(
                config(min: 1, max: 1), active: [instance(1), instance(2)], unconfirmed: ["i2"],
                loads: [ip(2): 9]),
            actions: [
                .writeMarks("i2", marks(unregistered: 10), mayBeAbsent: true), decisionLine,
                .retire("i2", ips: [ip(2)], to: .decommissioned),
                .log(.info, "decommissioned instance web-2 (target 1)"),
            ], target: 1),
        Case(
            name: "ramp_limit caps the decommissions of a pass",
            snapshot: snapshot(config(min: 1, max: 1, ramp: 1), active: [instance(1), instance(2), instance(3)]),
            actions: [
                decisionLine,
                .retire("i1", ips: [ip(1)], to: .decommissioned),
                .log(.info, "decommissioned instance web-1 (target 1)"),
            ], target: 1, holds: [.rampLimit]),
        Case(
            name: "dry_run takes no action", snapshot: snapshot(config(min: 3, dryRun: true)), actions: [], target: 3,
            holds: [.dryRun]),
        Case(
            // Its replacement waits for the launch backoff, which starts at the failure: no launch
            // in the same pass.
            name: "a failed instance is deleted; its replacement waits for the backoff",
            snapshot: snapshot(active: [instance(1, .failed, failure: "exited with status 3")]),
            actions: [
                .retire("i1", ips: [ip(1)], to: .errored), .dropMarks("i1"),
                .log(.error, "instance web-1 failed: exited with status 3; deleting it"), .deleteFromCloud("i1"),
                .removeErroredRecord("i1", name: "web-1"),
            ], target: 1, failures: 1, holds: [.launchBackoff]),
        Case(
            name: "a failed instance without a reason says the cloud reports it",
            snapshot: snapshot(config(min: 0), active: [instance(1, .failed)]),
            actions: [
                .retire("i1", ips: [ip(1)], to: .errored), .dropMarks("i1"),
                .log(.error, "instance web-1 failed: the cloud reports it failed; deleting it"),
                .deleteFromCloud("i1"), .removeErroredRecord("i1", name: "web-1"),
            ], target: 0, failures: 1),
        Case(
            name: "a pass with balancer errors is an error mark",
            snapshot: snapshot(config(errorMarks: 3), active: [instance(1)], errors: [ip(1): 2]),
            actions: [.writeMarks("i1", marks(error: 1), mayBeAbsent: true)], target: 1),
        Case(
            name: "error_marks passes with errors in a row replace the instance",
            snapshot: snapshot(
                config(errorMarks: 3), active: [instance(1)], marks: ["i1": marks(error: 2)], errors: [ip(1): 1]),
            actions: [
                .retire("i1", ips: [ip(1)], to: .errored), .dropMarks("i1"),
                .log(
                    .error,
                    "instance web-1 errored: the balancers reported failures in 3 passes in a row (error_marks 3); deleting it"
                ),
                .deleteFromCloud("i1"), .removeErroredRecord("i1", name: "web-1"),
            ], target: 1, failures: 1, holds: [.launchBackoff]),
        Case(
            name: "a pass without errors clears the error marks",
            snapshot: snapshot(config(errorMarks: 3), active: [instance(1)], marks: ["i1": marks(error: 2)]),
            actions: [.writeMarks("i1", marks(), mayBeAbsent: false)], target: 1),
        Case(
            name: "error_marks 0 never replaces an instance",
            snapshot: snapshot(
                config(errorMarks: 0), active: [instance(1)], marks: ["i1": marks(error: 50)], errors: [ip(1): 1]),
            actions: [.writeMarks("i1", marks(error: 51), mayBeAbsent: false)], target: 1),
        Case(
            name: "an instance the cloud does not list is counted unknown",
            snapshot: snapshot(active: [instance(1)], unlisted: ["i1"]),
            actions: [.writeMarks("i1", marks(unknown: 10), mayBeAbsent: true)], target: 1),
        Case(
            name: "an instance unknown for unknown_timeout is forgotten and replaced",
            snapshot: snapshot(active: [instance(1)], unlisted: ["i1"], marks: ["i1": marks(unknown: 595)]),
            actions: [
                .retire("i1", ips: nil, to: .dropped), .dropMarks("i1"),
                .log(.warning, "forgot instance i1: the cloud has not listed it for 605 s"), decisionLine,
                .launch(target: 1),
            ], target: 1),
        Case(
            name: "a listed instance is no longer unknown",
            snapshot: snapshot(active: [instance(1)], marks: ["i1": marks(unknown: 300)]),
            actions: [.writeMarks("i1", marks(), mayBeAbsent: false)], target: 1),
        Case(
            name: "an instance that did not register within unregistered_timeout is deleted",
            snapshot: snapshot(active: [instance(1)], unconfirmed: ["i1"], marks: ["i1": marks(unregistered: 595)]),
            actions: [
                .retire("i1", ips: [ip(1)], to: .dropped), .dropMarks("i1"),
                .log(.warning, "deleting instance web-1: it did not register within 600 s"), .deleteFromCloud("i1"),
                decisionLine, .launch(target: 1),
            ], target: 1),
        Case(
            name: "a decommissioned instance ages",
            snapshot: snapshot(active: [instance(1)], decommissioned: [instance(2)]),
            actions: [.writeMarks("i2", marks(decommissioned: 10), mayBeAbsent: true)], target: 1),
        Case(
            name: "a decommissioned instance is deleted after decommissioned_timeout",
            snapshot: snapshot(
                active: [instance(1)], decommissioned: [instance(2)], marks: ["i2": marks(decommissioned: 7195)]),
            actions: [
                .removeDecommissioned("i2"), .dropMarks("i2"), .log(.info, "deleting decommissioned instance web-2"),
                .deleteFromCloud("i2"),
            ], target: 1),
        Case(
            name: "a decommissioned instance the cloud does not list is deleted at once",
            snapshot: snapshot(active: [instance(1)], decommissioned: [instance(2)], unlisted: ["i2"]),
            actions: [
                .removeDecommissioned("i2"), .dropMarks("i2"), .log(.info, "deleting decommissioned instance i2"),
                .deleteFromCloud("i2"),
            ], target: 1),
        Case(
            name: "a decommissioned instance comes back before any launch",
            snapshot: snapshot(config(min: 2), active: [instance(1)], decommissioned: [instance(2)]),
            actions: [
                .writeMarks("i2", marks(decommissioned: 10), mayBeAbsent: true), decisionLine,
                .recommission("i2", name: "web-2"), .dropMarks("i2"), .confirmIP(ip(2), instance: "i2", name: "web-2"),
                .log(.info, "recommissioned instance web-2 (target 2)"),
            ], target: 2),
        Case(
            name: "a failed decommissioned instance is not recommissioned",
            snapshot: snapshot(config(min: 2), active: [instance(1)], decommissioned: [instance(2, .failed)]),
            actions: [
                .writeMarks("i2", marks(decommissioned: 10), mayBeAbsent: true), decisionLine, .launch(target: 2),
            ], target: 2),
        Case(
            name: "held launches log nothing and launch nothing", snapshot: snapshot(launchesHeld: true), actions: [],
            target: 1, holds: [.launchBackoff]),
        Case(
            name: "held launches still recommission",
            snapshot: snapshot(
                config(min: 3), active: [instance(1)], decommissioned: [instance(2)], launchesHeld: true),
            actions: [
                .writeMarks("i2", marks(decommissioned: 10), mayBeAbsent: true), decisionLine,
                .recommission("i2", name: "web-2"), .dropMarks("i2"), .confirmIP(ip(2), instance: "i2", name: "web-2"),
                .log(.info, "recommissioned instance web-2 (target 3)"),
            ], target: 3, holds: [.launchBackoff]),
        Case(
            name: "a stopped endpoint deletes its decommissioned instances and decommissions all, past ramp_limit",
            snapshot: snapshot(
                config(ramp: 1), state: .stopped, active: [instance(1), instance(2)], decommissioned: [instance(3)]),
            actions: [
                .removeDecommissioned("i3"), .dropMarks("i3"), .log(.info, "deleting decommissioned instance web-3"),
                .deleteFromCloud("i3"), .log(.info, "endpoint is STOPPED: target 0 (was 2)"),
                .retire("i1", ips: [ip(1)], to: .decommissioned),
                .log(.info, "decommissioned instance web-1 (target 0)"),
                .retire("i2", ips: [ip(2)], to: .decommissioned),
                .log(.info, "decommissioned instance web-2 (target 0)"),
            ], target: 0),
        Case(
            name: "a paused endpoint does nothing, not even marks",
            snapshot: snapshot(config(min: 4), state: .paused, active: [instance(1)], unconfirmed: ["i1"]),
            actions: [], target: 1, holds: [.paused]),
        Case(
            name: "connections waiting at the balancer want one instance (scale from zero)",
            snapshot: snapshot(config(min: 0, max: 2), pending: 3),
            actions: [
                .log(.info, "target 0 → 1: 3 connection(s) waiting at the balancer (scale from zero)"),
                .launch(target: 1),
            ], target: 1),
        Case(
            name: "waiting connections launch nothing when max_instances is 0",
            snapshot: snapshot(config(min: 0, max: 0), pending: 3), actions: [], target: 0),
    ]

    @Test(arguments: cases)
    func plan(_ row: Case) {
        let plan = ScalingPlan(row.snapshot)
        let expected = row.actions.map { $0 == Self.decisionLine ? .log(.info, plan.record.decision.explanation) : $0 }
        #expect(plan.actions == expected, "\(row.name): the actions")
        #expect(plan.record.target == row.target, "\(row.name): the target")
        #expect(plan.failures == row.failures, "\(row.name): the failures")
        #expect(plan.record.holds.map(\.0) == row.holds, "\(row.name): what held it back")
        let moves = plan.actions.filter {
            switch $0 {
            case .launch, .recommission: true
            case .retire(_, ips: _, to: .decommissioned): true
            default: false
            }
        }
        if !row.snapshot.config.scaling.dryRun {
            #expect(plan.record.actions == moves.count, "\(row.name): the record counts the moves taken")
        }
    }

    @Test func dryRunSaysWhatItWouldHaveDone() {
        let plan = ScalingPlan(Self.snapshot(Self.config(min: 3, dryRun: true)))
        #expect(
            plan.dryRunLog == [
                "dry run: \(plan.record.decision.explanation)",
                "dry run: would launch 3 instance(s) (target 3, 0 now); nothing done",
            ])
        #expect(plan.record.actions == 3, "the record counts what would have been done")
    }

    @Test func aScaleInAsksForTheLoadsOnce() {
        let snapshot = Self.snapshot(Self.config(min: 1, max: 1), active: [Self.instance(1), Self.instance(2)])
        #expect(ScalingPlan(snapshot).loadsWanted == [Self.ip(1), Self.ip(2)], "scaling in without the loads")
        var withLoads = snapshot
        withLoads.loads = [:]
        #expect(ScalingPlan(withLoads).loadsWanted.isEmpty, "the loads are there")
        let steady = Self.snapshot(active: [Self.instance(1)])
        #expect(ScalingPlan(steady).loadsWanted.isEmpty, "no scale-in, no loads")
    }

    @Test func theRecordCarriesTheSnapshotsTime() {
        let plan = ScalingPlan(Self.snapshot())
        #expect(plan.record.time == 1_700_000_000)
    }
}
