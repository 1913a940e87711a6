import Foundation
import ReactorCore
import ReactorStore
import ZooKeeper

/// The running managers as the ring needs them. Registrations never change during a manager's
/// run (a new run has a new uuid), so each is read once; a pass reads only the list.
struct MembershipView {
    private var members: [String: HashRing.Member] = [:]
    private var hosts: [String: String] = [:]
    /// The names of the running managers (the hosts with a live manager).
    var hostNames: Set<String> { Set(hosts.values) }
    /// The clouds some running manager runs.
    var cloudNames: Set<String> { members.values.reduce(into: []) { $0.formUnion($1.clouds) } }
    private(set) var ring = HashRing(members: [])
    /// Fires when a manager joins or leaves.
    private(set) var watch: Watch?

    mutating func refresh(_ store: ReactorStore) async throws {
        // Registrations never change under their uuid: while the list's watch is set, nothing did.
        if let watch, !watch.hasFired { return }
        let (ids, watch) = try await store.watchManagerRegistrations()
        self.watch = watch
        let present = Set(ids)
        members = members.filter { present.contains($0.key) }
        hosts = hosts.filter { present.contains($0.key) }
        for id in ids where members[id] == nil {
            // Gone since the list was read (that manager left), or not a registration: not a member.
            guard let json = try? await store.managerRegistration(id: id),
                let member = ManagerIdentity.member(id: id, registration: json)
            else { continue }
            members[id] = member
            hosts[id] = json.objectValue?["name"]?.stringValue
        }
        ring = HashRing(members: Array(members.values))
    }
}
