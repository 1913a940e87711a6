import Foundation
import ReactorCore
import ZooKeeper

/// A bounded event log kept as sequential children `<ms>_<seq>` of one directory node.
///
/// Appending creates one child and then trims the oldest beyond the capacity, so concurrent
/// writers (several API nodes, a manager) never lose each other's entries before the ring is full.
struct EventLogRing: Sendable {
    let client: ZooKeeperClient
    /// The directory node; it must exist before ``append(_:)``.
    let directory: String
    let capacity: Int

    func append(_ entry: LogEntry) async throws {
        let milliseconds = Int64((entry.timestamp * 1000).rounded(.down))
        try await client.create(
            "\(directory)/\(milliseconds)_", data: Array(entry.jsonValue.encoded()), mode: .persistentSequential)
        let names = try await client.children(directory)
        guard names.count > capacity else { return }
        for name in Self.ordered(names).prefix(names.count - capacity) {
            do {
                try await client.delete("\(directory)/\(name)")
            } catch let error as ZooKeeperError where error.code == .noNode {
                continue  // trimmed by another writer
            }
        }
    }

    /// Entries newer than `since` (all when `nil`), oldest first.
    func entries(since: Double?) async throws -> [LogEntry] {
        let names: [String]
        do {
            names = try await client.children(directory)
        } catch let error as ZooKeeperError where error.code == .noNode {
            return []
        }
        var result: [LogEntry] = []
        for name in Self.ordered(names) {
            let data: NodeData
            do {
                data = try await client.get("\(directory)/\(name)")
            } catch let error as ZooKeeperError where error.code == .noNode {
                continue
            }
            // An entry not in the log's form (written by hand) is left out of the listing.
            guard let json = JSONValue(validJSON: Data(data.bytes)), let entry = LogEntry(json: json) else {
                continue
            }
            if let since, entry.timestamp <= since { continue }
            result.append(entry)
        }
        return result
    }

    /// Children in append order: by the sequence number ZooKeeper gave them.
    static func ordered(_ names: [String]) -> [String] {
        names.sorted { sequence(of: $0) < sequence(of: $1) }
    }

    private static func sequence(of name: String) -> Int64 {
        name.split(separator: "_").last.flatMap { Int64($0) } ?? -1
    }
}
