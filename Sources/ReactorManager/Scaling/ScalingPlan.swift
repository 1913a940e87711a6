import Foundation
import ReactorCore
import ReactorStore

/// What the owner of an endpoint does in one pass (docs/design.md#scaling), decided without doing it: a
/// ``Snapshot`` of the endpoint (its configuration, its records, what the cloud lists, the
/// metrics) in, the ``Action``s that follow out, in the order they are to be carried out.
///
/// Pure: no ZooKeeper, no cloud, no clock but ``Snapshot/now``; ``ScalingExecutor`` carries the
/// actions out, each change to the records fenced, and ``EndpointScaler`` reads the snapshot.
///
/// ```
/// EndpointScaler.run ── reads ──▶ Snapshot ──▶ ScalingPlan ──▶ [Action] ──▶ ScalingExecutor
/// ```
struct ScalingPlan: Sendable {
    /// Everything a pass decides on, read once at its start.
    struct Snapshot: Sendable {
        var config: EndpointConfig
        var state: EndpointState
        var metrics: WeightedMetrics
        /// Connections the front doors hold for the endpoint's URL: while there are any, at
        /// least one instance is wanted (scale from zero).
        var pending = 0
        /// Failures the balancers reported this pass, by instance IP.
        var errors: [String: Double] = [:]
        /// No launch this pass (instances kept failing); recommissioning still happens.
        var launchesHeld = false
        /// Whether the endpoint's backends went unconfirmed as of the previous pass (the
        /// ``EndpointCondition/Kind/backendUnconfirmed`` condition holds until one is confirmed).
        var backendsWereUnconfirmed = false
        /// Seconds of loop time since the endpoint's previous pass: what the marks grow by.
        var elapsed: Double
        /// Seconds since 1970, the decision record's time.
        var now: Double
        /// The endpoint's instances as the cloud lists them, by id.
        var cloudInstances: [String: CloudInstance] = [:]
        /// The endpoint's confirmed (registered) IPs.
        var confirmedIPs: Set<String> = []
        /// Ids recorded in `instances/`.
        var active: Set<String> = []
        /// Ids recorded in `decommissioned/`.
        var decommissioned: Set<String> = []
        /// Health marks as stored, by instance id; a missing entry is no marks.
        var marks: [String: InstanceMarks] = [:]
        /// `active` connections the balancers reported, by IP, to pick whom to decommission;
        /// nil when not read (read only once a plan scales in: see ``ScalingPlan/loadsWanted``).
        var loads: [String: Double]?
    }

    /// Where a retired instance's record goes.
    enum Destination: Sendable, Hashable {
        /// Nowhere: the record is dropped.
        case dropped
        case decommissioned
        case errored
    }

    /// One step of a pass, for ``ScalingExecutor``.
    enum Action: Sendable, Hashable {
        /// Takes the instance out of `instances/` with its confirmed IPs, in one fenced batch.
        /// `ips` nil: the cloud does not list it (every confirmed IP of the endpoint is checked).
        case retire(String, ips: [String]?, to: Destination)
        /// Stores the instance's marks, fenced (a create when `mayBeAbsent` and none is stored).
        case writeMarks(String, InstanceMarks, mayBeAbsent: Bool)
        /// Removes the instance's marks (bookkeeping: no fence; a failure is logged).
        case dropMarks(String)
        /// A line of the endpoint's log.
        case log(LogEntry.Severity, String)
        /// Asks the cloud to delete the instance.
        case deleteFromCloud(String)
        /// Removes the errored record of an instance the cloud deleted (a failure is logged).
        case removeErroredRecord(String, name: String)
        /// Removes the instance's `decommissioned/` record, fenced.
        case removeDecommissioned(String)
        /// Moves the instance from `decommissioned/` back to `instances/`, fenced.
        case recommission(String, name: String)
        /// Confirms a recommissioned instance's IP again (a failure is logged).
        case confirmIP(String, instance: String, name: String)
        /// Prepares, records (fenced) and starts a new instance.
        case launch(target: Int)
    }

    /// The steps, in order.
    let actions: [Action]
    /// The endpoint's conditions this pass shows (kind → reason): those of its instances and of
    /// its rules; the owner adds what it knows besides (launch failures, backoff).
    let conditions: [EndpointCondition.Kind: String]
    /// Instances that failed (cloud reports, error marks) and are deleted.
    let failures: Int
    /// The decision, for the caller to record when it changed.
    let record: DecisionRecord
    /// Under `dry_run`: what would have been done, for the endpoint log when the record changed.
    let dryRunLog: [String]
    /// The IPs whose load orders the scale-in, when this plan decommissions instances and was
    /// made without ``Snapshot/loads``: read them and plan again. Empty otherwise.
    let loadsWanted: [String]

    /// Plans the pass for `snapshot`: the health of the active instances, then of the
    /// decommissioned ones, then the target and the steps towards it.
    init(_ snapshot: Snapshot) {
        var steps = Steps(snapshot: snapshot)
        if snapshot.state == .paused {
            // Nothing moves; the decision is recorded with its hold.
            record = steps.decide(current: snapshot.active.count, recommissionable: 0).record
        } else {
            for instance in snapshot.active.sorted() { steps.checkHealth(of: instance) }
            for instance in snapshot.decommissioned.sorted() { steps.checkDecommissioned(instance) }
            record = steps.moveTowardsTarget()
        }
        conditions = steps.conditions(record: record)
        actions = steps.actions
        failures = steps.failures
        dryRunLog = steps.dryRunLog
        loadsWanted = steps.loadsWanted
    }

    /// A plan being made: the snapshot as the steps so far leave it, and the steps.
    struct Steps {
        let snapshot: Snapshot
        /// The active instances still active after the steps so far.
        var active: Set<String>
        /// The decommissioned instances still kept.
        var decommissioned: Set<String>
        /// Marks as the steps so far leave them.
        var marks: [String: InstanceMarks]
        var actions: [Action] = []
        var failures = 0
        var dryRunLog: [String] = []
        var loadsWanted: [String] = []
        /// Instances deleted this pass because their backend was never confirmed.
        var neverConfirmed: [String] = []

        init(snapshot: Snapshot) {
            self.snapshot = snapshot
            active = snapshot.active
            decommissioned = snapshot.decommissioned
            marks = snapshot.marks
        }

        var config: EndpointConfig { snapshot.config }

        mutating func log(_ severity: LogEntry.Severity, _ message: String) {
            actions.append(.log(severity, message))
        }

        /// Stores changed marks.
        mutating func write(_ instance: String, _ new: InstanceMarks, was old: InstanceMarks) {
            marks[instance] = new
            guard new != old else { return }
            actions.append(.writeMarks(instance, new, mayBeAbsent: old.isEmpty))
        }

        mutating func dropMarks(_ instance: String) {
            marks[instance] = nil
            actions.append(.dropMarks(instance))
        }
    }
}
