import Foundation
import Logging
import ReactorStore

/// Writes a manager's decisions to its own log, to the endpoint's log when one is concerned,
/// and to swift-log.
struct ManagerLog: Sendable {
    let store: ReactorStore
    let name: String
    let logger: Logger

    func callAsFunction(_ severity: LogEntry.Severity, _ message: String, endpoint: String? = nil) async {
        switch severity {
        case .error: logger.error("\(message)")
        case .warning: logger.warning("\(message)")
        default: logger.info("\(message)")
        }
        let entry = LogEntry(timestamp: Date().timeIntervalSince1970, severity: severity, message: message)
        try? await store.appendManagerLog(entry, name: name)
        if let endpoint {
            let endpointEntry = LogEntry(
                timestamp: entry.timestamp, severity: severity, message: "manager \(name): \(message)")
            try? await store.appendEndpointLog(endpointEntry, id: endpoint, name: endpoint)
        }
    }
}
