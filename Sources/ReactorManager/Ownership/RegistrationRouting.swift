/// Which manager serves a queued instance IP (docs/design.md#ip-confirmation): for each cloud, the ring owner of
/// the IP among the managers that run that cloud matches it to an instance; one manager takes an
/// IP nobody matched off the queue, and one unconfirms an IP that unregisters. A value computed
/// from the ring, so each manager decides alone and all decide alike.
struct RegistrationRouting: Sendable {
    let ring: HashRing
    /// This manager.
    let managerID: String
    /// The clouds this manager runs.
    let clouds: [String]
    /// The clouds some running manager runs.
    let cloudNames: Set<String>

    /// The clouds for which this manager serves the registration of `ip`, sorted.
    func registrationClouds(of ip: String) -> [String] {
        clouds.sorted().filter { ring.owner(of: ip, cloud: $0) == managerID }
    }

    /// Whether this manager handles the registration of `ip` for one of its clouds.
    func ownsRegistration(of ip: String) -> Bool {
        !registrationClouds(of: ip).isEmpty
    }

    /// Whether this manager may take an IP that matched none of its instances off the queue: it
    /// is the IP's owner for every cloud the running managers run, so nobody else would match it.
    func answersForEveryCloud(_ ip: String) -> Bool {
        cloudNames.allSatisfy { ring.owner(of: ip, cloud: $0) == managerID }
    }

    /// Whether this manager unconfirms `ip` when it unregisters: the IP's owner for the first of
    /// the running managers' clouds (one manager, whatever the IP's cloud).
    func ownsUnregistration(of ip: String) -> Bool {
        guard let first = cloudNames.min() else { return false }
        return ring.owner(of: ip, cloud: first) == managerID
    }
}
