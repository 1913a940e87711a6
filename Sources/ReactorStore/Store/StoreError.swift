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

    /// A sentence an operator can act on.
    public var message: String {
        switch self {
        case .endpointNotFound(let name): "endpoint '\(name)' does not exist"
        case .noEndpointForIP(let ip): "no endpoint has confirmed the IP address \(ip)"
        case .nameTaken(let name): "the name '\(name)' is already taken by an endpoint"
        case .managerConfigNotFound(let name): "manager '\(name)' has no configuration"
        case .managerNotActive(let id): "no active manager has the id '\(id)'"
        }
    }

    public var description: String { message }
}
