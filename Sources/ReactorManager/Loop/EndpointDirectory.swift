import Foundation
import ReactorCore
import ReactorStore
import ZooKeeper

/// The endpoints a manager knows of, with the two settings ownership depends on (cloud and load
/// balancer). Each entry keeps a data watch: a configuration is read again only after it changed,
/// so a pass costs one read of the endpoint list plus one read per changed endpoint.
struct EndpointDirectory {
    struct Entry {
        var cloud: String?
        var loadBalancer: String?
        /// The stored configuration (JSON object of sections).
        var configuration: JSONValue
        var watch: Watch
    }

    private(set) var entries: [String: Entry] = [:]
    /// uuid → the endpoint's first name (by sort order), for logs and instance environments.
    private(set) var names: [String: String] = [:]
    /// Every name (aliases included) → uuid.
    private(set) var ids: [String: String] = [:]
    private var namesWatch: Watch?
    /// Endpoints whose data node no name refers to, as of the last refresh: what a delete that
    /// stopped half-way leaves (see ``ManagerLoop/removeUnnamedEndpoints()``).
    private(set) var unnamed: Set<String> = []

    /// Brings the directory up to date; returns the endpoint uuids.
    mutating func refresh(_ store: ReactorStore) async throws -> [String] {
        if namesWatch?.hasFired ?? true { try await refreshNames(store) }
        let ids = try await store.endpointIDs()
        let present = Set(ids)
        entries = entries.filter { present.contains($0.key) }
        for id in ids where entries[id].map({ $0.watch.hasFired }) ?? true {
            guard let (bytes, watch) = try await store.watchEndpointConfiguration(id: id) else {
                entries[id] = nil  // deleted since the list was read
                continue
            }
            // Data that is not JSON (written by hand) is an endpoint without settings.
            let configuration = JSONValue(validJSON: Data(bytes)) ?? .object([:])
            let settings = configuration.objectValue?[EndpointConfig.section]?.objectValue
            entries[id] = Entry(
                cloud: settings?["cloud"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
                loadBalancer: settings?["loadbalancer"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
                configuration: configuration, watch: watch)
        }
        let listed = ids.filter { entries[$0] != nil }
        unnamed = Set(listed).subtracting(self.ids.values)
        return listed
    }

    private mutating func refreshNames(_ store: ReactorStore) async throws {
        let (names, watch) = try await store.watchEndpointNames()
        namesWatch = watch
        var byID: [String: String] = [:]
        var byName: [String: String] = [:]
        for name in names.sorted() {
            guard let id = try await store.endpointIDIfPresent(named: name) else { continue }
            byName[name] = id
            if byID[id] == nil { byID[id] = name }
        }
        self.names = byID
        self.ids = byName
    }
}
