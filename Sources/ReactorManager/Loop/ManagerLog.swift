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
        do {
            try await store.appendManagerLog(entry, name: name)
        } catch {
            // The line is in swift-log above; only the stored copy is missing.
            logger.debug("cannot append to the log of manager \(name): \(error)")
        }
        if let endpoint {
            let endpointEntry = LogEntry(
                timestamp: entry.timestamp, severity: severity, message: "manager \(name): \(message)")
            do {
                try await store.appendEndpointLog(endpointEntry, id: endpoint, name: endpoint)
            } catch {
                // A deleted endpoint has no log; a lost connection loses the line (swift-log has it).
                logger.debug("cannot append to the log of endpoint \(endpoint): \(error)")
            }
        }
    }
}
