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
