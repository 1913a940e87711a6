import ArgumentParser
import Foundation
import Logging
import ReactorCore
import ReactorManager

/// The options of a manager, shared by `reactor manager` and `reactor server`.
struct ManagerOptions: ParsableArguments {
    @Option(help: "The manager's name: its configuration and log are kept under it (default: this host's primary IP).")
    var name: String?

    @Option(help: "Seconds between passes of the loop; overrides the configuration's [manager] interval.")
    var interval: Double?

    @Option(
        help:
            "Number of keys this manager places on the ownership ring; overrides the configuration's [manager] keys (default 64)."
    )
    var keys: Int?

    @Option(
        help:
            "The API URL given to instances (REACTOR_API) when /reactor/url is not set (default: http://127.0.0.1:8080, or this process's API)."
    )
    var api: String?

    @Option(
        help:
            "Address the dnsmasq balancer answers DNS queries on (dns:// endpoints; default: [loadbalancer:dnsmasq] listen of the manager's configuration, else 0.0.0.0)."
    )
    var dnsListen: String?

    @Option(
        help:
            "Port the dnsmasq balancer answers DNS queries on (default: [loadbalancer:dnsmasq] port of the manager's configuration, else 53)."
    )
    var dnsPort: Int?

    @OptionGroup var exposure: APIExposureOptions

    @Option(help: "With --expose-api: the port of the API node on each host (default: this process's API, else 8080).")
    var exposeAPIPort: Int?

    @Option(help: "Serve the manager's Prometheus metrics at GET /metrics on this port (default: not served).")
    var metricsPort: Int?

    @Option(
        help: "Address --metrics-port listens on; beyond loopback only with --metrics-allow-open (no key guards it).")
    var metricsHost = "127.0.0.1"

    @Flag(help: "Let --metrics-host be an address beyond loopback: anyone reaching it reads the metrics.")
    var metricsAllowOpen = false

    @Option(
        help: ArgumentHelp(
            "Append a JSON line for every fenced action (time, endpoint, claim epoch, manager) to this file "
                + "(created 0600): evidence that no two managers acted for one endpoint."))
    var fenceAudit: String?

    func validate() throws {
        try exposure.validate()
        if let exposeAPIPort, !(1...65535).contains(exposeAPIPort) {
            throw ValidationError("--expose-api-port must be between 1 and 65535")
        }
        if let dnsPort, !(1...65535).contains(dnsPort) {
            throw ValidationError("--dns-port must be between 1 and 65535")
        }
        if let dnsListen, IPAddress(dnsListen) == nil {
            throw ValidationError("--dns-listen must be an IP address, got '\(dnsListen)'")
        }
        let range = ManagerConfig.keyCountRange
        if let keys, !range.contains(keys) {
            throw ValidationError("--keys must be between \(range.lowerBound) and \(range.upperBound)")
        }
        if let interval, !(interval > 0) { throw ValidationError("--interval must be a positive number of seconds") }
        if let metricsPort, !(0...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be between 0 and 65535")
        }
        if let fenceAudit {
            // Checked, not created: nothing is written before the process has decided to run.
            let folder = URL(fileURLWithPath: fenceAudit).deletingLastPathComponent().path
            let files = FileManager.default
            guard files.isWritableFile(atPath: fenceAudit) || files.isWritableFile(atPath: folder) else {
                throw ValidationError("--fence-audit \(fenceAudit) cannot be written")
            }
        }
        if !metricsAllowOpen && !ManagerMetricsServer.isLoopback(metricsHost) {
            throw ValidationError(
                "--metrics-host \(metricsHost) is beyond loopback and /metrics has no key: "
                    + "give --metrics-allow-open to serve it there anyway")
        }
    }

    /// Who the manager is on this host.
    func identity() -> ManagerIdentity { Self.identity(name: name, keys: keys) }

    /// The drivers this executable offers, built once for every manager it runs.
    static let drivers = DriverRegistry.builtIn

    static func identity(name: String?, keys: Int?) -> ManagerIdentity {
        ManagerIdentity(
            name: name ?? HostFacts.defaultName(), keyCount: keys ?? ManagerConfig().keys,
            clouds: drivers.availableClouds(), loadBalancers: drivers.availableLoadBalancers(),
            ips: HostFacts.addresses())
    }

    /// How the manager runs; `localAPI` is the URL given to instances unless `--api` says otherwise.
    func settings(logger: Logger, localAPI: String? = nil) -> ManagerSettings {
        var settings = ManagerSettings(logger: logger)
        settings.drivers = Self.drivers
        if let url = api ?? localAPI { settings.apiURL = url }
        settings.keyCount = keys
        settings.dnsListen = dnsListen
        settings.dnsPort = dnsPort
        if let interval { settings.interval = Self.interval(interval) }
        settings.exposeAPI = exposure.exposure(
            apiPort: exposeAPIPort ?? localAPI.flatMap { EndpointURL($0)?.port } ?? 8080)
        if metricsPort != nil { settings.metrics = ManagerMetrics() }
        if let fenceAudit {
            do {
                settings.fenceAudit = try FenceAudit(path: fenceAudit)
            } catch {
                // Checked by validate(); a file that cannot be opened now leaves the audit off, said.
                logger.error("\(error); fenced actions are not recorded")
            }
        }
        return settings
    }

    /// Every option at its default (`reactor up`, which has its own).
    static var defaults: ManagerOptions {
        // Parsing no arguments cannot fail (every option has a default or is optional); the
        // initializer is the fallback.
        (try? ManagerOptions.parse([])) ?? ManagerOptions()
    }

    static func interval(_ seconds: Double) -> Duration { .milliseconds(Int(max(0.05, seconds) * 1000)) }
}
