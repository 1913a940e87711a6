import Foundation
import Logging
import ReactorCore
import ReactorStore
import ZooKeeper

/// The configuration watch: the manager's configuration node, read again when its watch fired.
extension ManagerLoop {
    /// Reads `/reactor/managers/configs/<name>` when it changed (a watch tells), and applies it:
    /// the interval at once; other ring keys or drivers through ``registrationChange``.
    mutating func readConfiguration() async throws {
        // Re-read when the node changed, and every 30 s for the probed clouds (an engine that
        // came up or went away).
        let probeDue = lastProbe.map { ContinuousClock.now - $0 > .seconds(30) } ?? true
        if let watch = configurationWatch, !watch.hasFired, !probeDue { return }
        let path = ZNodeLayout.managerConfig(identity.name)
        var config = ManagerConfig()
        let bytes: [UInt8]?
        if let watch = configurationWatch, !watch.hasFired {
            // Only the probe is due: the watch set earlier still holds (a new one would add to it).
            bytes = try await store.managerConfigurationBytes(name: identity.name)
        } else {
            // No watch: the node was created between the reads; it is read next pass.
            let (read, watch) = try await store.watchManagerConfiguration(name: identity.name)
            bytes = read
            configurationWatch = watch
        }
        if let bytes, !bytes.isEmpty {
            do {
                config = try ManagerConfig(json: JSONValue(parsing: Data(bytes)))
            } catch {
                await log(.warning, "configuration \(path) is not valid (\(error)); using the defaults")
            }
        }
        let previous = configuration
        configuration = config
        if service.settings.interval == nil {
            interval = .milliseconds(Int(config.interval * 1000))
            if let previous, previous.interval != config.interval {
                await log(.info, "configuration changed: interval \(previous.interval) s → \(config.interval) s")
            }
        }
        let host = service.identity
        let keyCount = service.settings.keyCount ?? config.keys
        hostSections.clouds = config.drivers.clouds
        await applyBalancerSections(config.drivers.loadBalancers)
        let wanted: (String) -> Bool = { name in config.clouds.contains { $0.rawValue == name } }
        let probed = await service.settings.drivers.probedClouds(
            config.clouds.map(\.rawValue), sections: config.drivers.clouds)
        lastProbe = ContinuousClock.now
        for (name, reason) in probed.refused where probeRefusals[name] != reason {
            await log(.info, "not offering cloud '\(name)': \(reason)")
        }
        probeRefusals = probed.refused
        let clouds = (host.clouds.filter(wanted) + probed.offered).sorted()
        let loadBalancers = host.loadBalancers.filter { name in config.loadBalancers.contains { $0.rawValue == name } }
        if keyCount != identity.keys.count || clouds != identity.clouds || loadBalancers != identity.loadBalancers {
            var next = ManagerIdentity(
                name: identity.name, keyCount: keyCount, clouds: clouds, loadBalancers: loadBalancers, ips: identity.ips
            )
            if keyCount == identity.keys.count { next.keys = identity.keys }
            registrationChange = next
            await log(
                .info,
                "configuration asks for \(keyCount) ring keys, clouds [\(clouds.joined(separator: ","))], "
                    + "load balancers [\(loadBalancers.joined(separator: ","))]; registering again as \(next.id)")
        }
    }

    /// Makes again the balancers whose `[loadbalancer:<driver>]` section changed, so that each
    /// runs as its section says (a restarted nginx or dnsmasq; the endpoints it serves are
    /// configured again at once).
    mutating func applyBalancerSections(_ sections: [String: [String: String]]) async {
        let changed = identity.loadBalancers.filter { (sections[$0] ?? [:]) != (balancerSections[$0] ?? [:]) }
        balancerSections = sections
        guard !changed.isEmpty else { return }
        let settings = service.settings
        let made = settings.drivers.makeLoadBalancers(
            changed, stateDirectory: stateDirectory, dns: (settings.dnsListen, settings.dnsPort), sections: sections,
            logger: managerLog.logger)
        for (name, driver) in made.sorted(by: { $0.key < $1.key }) {
            await frontDoor.replaceDriver(name, with: driver)
            await log(
                .info,
                "[loadbalancer:\(name)] of the manager's configuration changed: the \(name) balancer runs as it says")
        }
    }
}
