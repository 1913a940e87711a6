/// A request the store cannot carry out because of what is (or is not) in ZooKeeper.
///
/// ZooKeeper failures themselves (connection loss, session expiry) are thrown as
/// `ZooKeeperError` unchanged; the HTTP edge maps both kinds to status codes.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No endpoint has this name.
    case endpointNotFound(name: String)
    /// No endpoint owns this confirmed IP address.
    case noEndpointForIP(String)
    /// The endpoint name or alias is already taken.
    case nameTaken(String)
    /// There is no configuration for this manager.
    case managerConfigNotFound(String)
    /// No running manager has this uuid.
    case managerNotActive(String)
    /// The endpoint has no metadata under this key; `name` is how the request named the endpoint
    /// (`web`, `the endpoint of 10.0.0.5`).
    case metadataKeyNotFound(name: String, key: String)
    /// The endpoint holds as many metadata keys as it may.
    case tooManyMetadataKeys(name: String, limit: Int)
    /// The endpoint's configuration is no longer at the version a conditional update named.
    case configurationChanged(name: String, expected: Int32, current: Int32?)

    /// A sentence an operator can act on.
    public var message: String {
        switch self {
        case .endpointNotFound(let name): "endpoint '\(name)' does not exist"
        case .noEndpointForIP(let ip): "no endpoint has confirmed the IP address \(ip)"
        case .nameTaken(let name): "the name '\(name)' is already taken by an endpoint"
        case .managerConfigNotFound(let name): "manager '\(name)' has no configuration"
        case .managerNotActive(let id): "no active manager has the id '\(id)'"
        case .metadataKeyNotFound(let name, let key): "\(name) has no metadata key '\(key)'"
        case .tooManyMetadataKeys(let name, let limit):
            "\(name) already holds \(limit) metadata keys; delete one before adding another"
        case .configurationChanged(let name, let expected, let current):
            "the configuration of endpoint '\(name)' changed since it was read (version \(expected) was expected, "
                + "it is now \(current.map { "version \($0)" } ?? "gone")); nothing was written: read it again"
        }
    }

    public var description: String { message }
}
