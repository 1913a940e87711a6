/// A current problem of an endpoint, as Kubernetes objects carry conditions: named, with the
/// reason in words, when it was first seen and when it was last seen to hold. A condition is
/// removed as soon as it no longer holds, so an endpoint without conditions is doing what its
/// state says.
public struct EndpointCondition: Sendable, Hashable {
    /// What kind of problem it is.
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        /// A front door's balancer does not serve the endpoint: its port is taken, its settings
        /// are refused, its certificate cannot be read.
        case balancerFailed = "BalancerFailed"
        /// The cloud cannot launch an instance (no command, an address pool used up, no host with
        /// free slots, the engine refuses).
        case launchFailing = "LaunchFailing"
        /// Instances fail (exit, are reported failed, stop answering) and launches are held back.
        case instancesFailing = "InstancesFailing"
        /// Instances were launched but their backend address was never confirmed.
        case backendUnconfirmed = "BackendUnconfirmed"
        /// No running manager offers the endpoint's cloud or balancer (or none runs at all).
        case noManager = "NoManager"
        /// A scaling rule names a metric that nothing reports.
        case metricUnreported = "MetricUnreported"
        /// The stored configuration cannot be used.
        case configurationInvalid = "ConfigurationInvalid"

        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
        }
    }

    public var kind: Kind
    /// What is wrong, in words an operator can act on.
    public var reason: String
    /// Seconds since 1970 when the condition was first seen (it has held ever since).
    public var since: Double
    /// Seconds since 1970 when it was last seen to hold.
    public var lastSeen: Double
    /// Who saw it: a manager's name, or `api` for what the API works out itself.
    public var source: String

    public init(kind: Kind, reason: String, since: Double, lastSeen: Double, source: String) {
        self.kind = kind
        self.reason = reason
        self.since = since
        self.lastSeen = lastSeen
        self.source = source
    }

    /// `{"type", "reason", "since", "last_seen", "source"}`.
    public var json: JSONValue {
        [
            "type": .string(kind.rawValue), "reason": .string(reason), "since": .number(since),
            "last_seen": .number(lastSeen), "source": .string(source),
        ]
    }

    /// Reads a condition from its JSON form; nil when it is not one.
    public init?(json: JSONValue) {
        guard let object = json.objectValue, let type = object["type"]?.stringValue, let kind = Kind(rawValue: type),
            let reason = object["reason"]?.stringValue, let since = object["since"]?.numberValue
        else { return nil }
        self.init(
            kind: kind, reason: reason, since: since, lastSeen: object["last_seen"]?.numberValue ?? since,
            source: object["source"]?.stringValue ?? "")
    }

    /// Conditions read from a JSON array; entries out of form are left out.
    public static func list(_ json: JSONValue?) -> [EndpointCondition] {
        (json?.arrayValue ?? []).compactMap(EndpointCondition.init(json:))
    }
}

/// The conditions one observer (an endpoint's owner, a front door) keeps for one endpoint: what it
/// observes now replaces what it observed before, keeping when each still-holding condition
/// started.
public struct EndpointConditions: Sendable, Hashable {
    public private(set) var current: [EndpointCondition.Kind: EndpointCondition] = [:]

    /// How old `lastSeen` may grow in the stored copy before it is written again though nothing
    /// else changed, in seconds: a condition that holds for hours costs a write every few minutes,
    /// not one per pass.
    public static let refreshAfter = 120.0

    public init(_ conditions: [EndpointCondition] = []) {
        for condition in conditions { current[condition.kind] = condition }
    }

    /// The conditions, in the order of ``EndpointCondition/Kind``.
    public var sorted: [EndpointCondition] {
        current.values.sorted { $0.kind < $1.kind }
    }

    public var json: JSONValue { .array(sorted.map(\.json)) }

    /// Replaces the conditions with those `observed` now (kind → reason).
    ///
    /// A condition that held before keeps its `since`; one not observed any more is cleared.
    /// - Returns: whether the stored copy should be written: a condition set or cleared, a reason
    ///   changed, or a `lastSeen` older than ``refreshAfter``.
    @discardableResult
    public mutating func observe(
        _ observed: [EndpointCondition.Kind: String], now: Double, source: String
    ) -> Bool {
        var next: [EndpointCondition.Kind: EndpointCondition] = [:]
        var changed = Set(observed.keys) != Set(current.keys)
        for (kind, reason) in observed {
            if var held = current[kind] {
                if held.reason != reason || held.source != source || now - held.lastSeen >= Self.refreshAfter {
                    changed = true
                    held.lastSeen = now
                }
                held.reason = reason
                held.source = source
                next[kind] = held
            } else {
                next[kind] = EndpointCondition(kind: kind, reason: reason, since: now, lastSeen: now, source: source)
            }
        }
        current = next
        return changed
    }
}
