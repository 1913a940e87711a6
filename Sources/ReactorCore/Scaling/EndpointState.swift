/// The operator-chosen state of an endpoint, stored in `/reactor/endpoints/data/<uuid>/state`.
public enum EndpointState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Scale by the rules.
    case running = "RUNNING"
    /// Scale to zero instances, without the ramp limit.
    case stopped = "STOPPED"
    /// Leave everything as it is.
    case paused = "PAUSED"

    /// The state stored in ZooKeeper.
    ///
    /// - Parameter stored: the znode content, case-insensitive; absent (`nil`), blank or unrecognised
    ///   content reads as ``paused``, the state in which a manager does nothing.
    public init(stored: String?) {
        let text = stored?.trimmingWhitespace().uppercased() ?? ""
        self = EndpointState(rawValue: text) ?? .paused
    }

    /// The state an API `{"action": ...}` asks for: `start`, `stop` or `pause` (case-insensitive).
    public init?(action: String) {
        switch action.lowercased() {
        case "start": self = .running
        case "stop": self = .stopped
        case "pause": self = .paused
        default: return nil
        }
    }
}
