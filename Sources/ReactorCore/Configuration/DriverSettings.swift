/// Settings sections for drivers: `[cloud:<driver>]` and `[loadbalancer:<driver>]`.
///
/// The keys inside are driver-specific and are checked by each driver, not here; this type only
/// makes sure the driver exists.
public struct DriverSettings: Sendable, Hashable {
    /// `[driver: [key: value]]` from `[cloud:<driver>]` sections.
    public var clouds: [String: [String: String]]
    /// `[driver: [key: value]]` from `[loadbalancer:<driver>]` sections.
    public var loadBalancers: [String: [String: String]]

    /// - Parameters:
    ///   - clouds: settings per cloud driver; default none.
    ///   - loadBalancers: settings per balancer driver; default none.
    public init(clouds: [String: [String: String]] = [:], loadBalancers: [String: [String: String]] = [:]) {
        self.clouds = clouds
        self.loadBalancers = loadBalancers
    }

    /// Collects the driver sections of `document`; other sections are left to the caller.
    ///
    /// - Parameter errors: receives an error for each section naming an unknown driver.
    init(_ document: ConfigDocument, errors: inout ConfigErrors) {
        self.init()
        for (section, values) in document.sections {
            if let driver = Self.driver(in: section, prefix: KnownDrivers.cloudSectionPrefix) {
                if KnownDrivers.isCloud(driver) {
                    clouds[driver] = values
                } else {
                    errors.add(KnownDrivers.unknownCloudMessage(driver), section: section)
                }
            } else if let driver = Self.driver(in: section, prefix: KnownDrivers.loadBalancerSectionPrefix) {
                if KnownDrivers.isLoadBalancer(driver) {
                    loadBalancers[driver] = values
                } else {
                    errors.add(KnownDrivers.unknownLoadBalancerMessage(driver), section: section)
                }
            }
        }
    }

    /// Whether `section` is a driver section (known driver or not).
    static func isDriverSection(_ section: String) -> Bool {
        section.hasPrefix(KnownDrivers.cloudSectionPrefix) || section.hasPrefix(KnownDrivers.loadBalancerSectionPrefix)
    }

    private static func driver(in section: String, prefix: String) -> String? {
        guard section.hasPrefix(prefix) else { return nil }
        return String(section.dropFirst(prefix.count))
    }

    /// The sections as stored: `cloud:<driver>` and `loadbalancer:<driver>` objects of strings.
    var jsonSections: [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (driver, values) in clouds {
            result[KnownDrivers.cloudSectionPrefix + driver] = .object(values.mapValues { .string($0) })
        }
        for (driver, values) in loadBalancers {
            result[KnownDrivers.loadBalancerSectionPrefix + driver] = .object(values.mapValues { .string($0) })
        }
        return result
    }
}
