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

    var json: [UInt8] { Array((try? JSONEncoder().encode(self)) ?? Data()) }

    init() {}

    init(bytes: [UInt8]) {
        self = (try? JSONDecoder().decode(InstanceMarks.self, from: Data(bytes))) ?? InstanceMarks()
    }
}
