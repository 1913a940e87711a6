import Foundation
import ReactorCore

/// How long an instance has been in a suspicious condition, in seconds of loop time
/// (persisted in the endpoint's `marked_ip/<id>` so a new owner goes on counting).
struct InstanceMarks: Codable, Hashable, Sendable {
    var unregistered: Double = 0
    var unknown: Double = 0
    var decommissioned: Double = 0
    var error: Double = 0

    var isEmpty: Bool { self == InstanceMarks() }

    var json: [UInt8] {
        do {
            return Array(try JSONEncoder().encode(self))
        } catch {
            // Cannot happen: four numbers (a mark is never infinite) always encode.
            return Array("{}".utf8)
        }
    }

    init() {}

    /// The marks stored as `bytes`; marks that cannot be read (written by hand, another
    /// version's) count from zero again, which only delays a timeout by its length.
    init(bytes: [UInt8]) {
        do {
            self = try JSONDecoder().decode(InstanceMarks.self, from: Data(bytes))
        } catch {
            self.init()
        }
    }
}
