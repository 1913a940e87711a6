import Synchronization

/// The names of hosts with a running manager, as the last pass saw them; read by the process
/// cloud from its own calls.
final class LiveHosts: Sendable {
    private let storage = Mutex<Set<String>>([])

    var names: Set<String> {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}

/// The manager's own driver sections (`[cloud:<driver>]` of its configuration), as the last
/// configuration read gave them; read by the clouds from their own calls.
final class HostSections: Sendable {
    private let storage = Mutex<[String: [String: String]]>([:])

    var clouds: [String: [String: String]] {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
