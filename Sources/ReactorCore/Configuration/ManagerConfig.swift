/// The typed, validated configuration of a manager (`/reactor/managers/configs/<name>`):
/// `[manager]` plus `[cloud:<driver>]` and `[loadbalancer:<driver>]` sections.
public struct ManagerConfig: Sendable, Hashable {
    /// Section name of the general settings.
    public static let section = "manager"
    /// Keys accepted in `[manager]`.
    /// `health_check` is the original Reactor's name of `interval`, read when `interval` is not set.
    public static let keys = ["interval", "health_check", "keys", "loadbalancers", "clouds"]
    /// Allowed range of `keys`.
    public static let keyCountRange = 1...1024

    /// `interval`: seconds between loop rounds, greater than 0 (fractions allowed); default 10.
    public var interval: Double = 10
    /// `keys`: how many ring keys the manager registers (1…1024); default 64.
    public var keys: Int = 64
    /// `loadbalancers`: comma-separated balancer drivers to enable; default all known ones (a manager
    /// advertises only those it can run on its host). An empty value enables none.
    public var loadBalancers: [LoadBalancerDriverKind] = LoadBalancerDriverKind.allCases
    /// `clouds`: comma-separated cloud drivers to enable; default all known ones. Empty enables none.
    public var clouds: [CloudDriverKind] = CloudDriverKind.allCases
    /// `[cloud:<driver>]` and `[loadbalancer:<driver>]` sections.
    public var drivers = DriverSettings()

    /// A configuration with every default (what an empty `{}` gives).
    public init() {}

    /// Types and validates a document.
    ///
    /// - Throws: ``ConfigErrors`` listing unknown sections and keys, a non-positive interval, a key
    ///   count out of range and unknown driver names.
    public init(document: ConfigDocument) throws(ConfigErrors) {
        var errors = ConfigErrors()
        for section in document.sections.keys
        where section != Self.section && !DriverSettings.isDriverSection(section) {
            errors.add(
                "unknown section; expected [manager], [cloud:<driver>] or [loadbalancer:<driver>]",
                section: section)
        }
        ValueSyntax.rejectControlCharacters(in: document, into: &errors)
        drivers = DriverSettings(document, errors: &errors)
        Self.checkHostSections(drivers, into: &errors)
        let reader = SectionReader(Self.section, in: document)
        reader.rejectUnknownKeys(Self.keys, into: &errors)
        interval =
            reader.number("interval", minimum: 0, exclusive: true, errors: &errors)
            ?? reader.number("health_check", minimum: 0, exclusive: true, errors: &errors) ?? interval
        keys = reader.integer("keys", in: Self.keyCountRange, errors: &errors) ?? keys
        if let names = reader.list("loadbalancers") {
            loadBalancers = Self.drivers(
                names, key: "loadbalancers", errors: &errors,
                unknown: KnownDrivers.unknownLoadBalancerMessage)
        }
        if let names = reader.list("clouds") {
            clouds = Self.drivers(names, key: "clouds", errors: &errors, unknown: KnownDrivers.unknownCloudMessage)
        }
        guard errors.isEmpty else { throw errors }
    }

    /// Decodes the stored canonical JSON (or any JSON object of sections).
    public init(json: JSONValue) throws(ConfigErrors) {
        try self.init(document: try ConfigDocument(json: json))
    }

    /// All problems with `document`; empty when it is valid.
    public static func validate(_ document: ConfigDocument) -> ConfigErrors {
        do {
            _ = try ManagerConfig(document: document)
            return ConfigErrors()
        } catch {
            return error
        }
    }

    /// The canonical JSON stored in ZooKeeper, every setting written out.
    public var jsonValue: JSONValue {
        var sections = drivers.jsonSections
        sections[Self.section] = .object([
            "interval": .number(interval),
            "keys": .number(Double(keys)),
            "loadbalancers": .string(loadBalancers.map(\.rawValue).joined(separator: ",")),
            "clouds": .string(clouds.map(\.rawValue).joined(separator: ",")),
        ])
        return .object(sections)
    }

    /// The per-host driver sections the drivers read: `[cloud:docker]` (socket, slots,
    /// addresses, publish_address, ports), `[cloud:process]` (addresses) and every
    /// `[loadbalancer:<driver>]` (``BalancerHostSettings``).
    static func checkHostSections(_ drivers: DriverSettings, into errors: inout ConfigErrors) {
        for (driver, section) in drivers.loadBalancers.sorted(by: { $0.key < $1.key }) {
            do {
                _ = try BalancerHostSettings(driver: driver, section)
            } catch {
                errors.merge(error)
            }
        }
        if let docker = drivers.clouds[CloudDriverKind.docker.rawValue] {
            do {
                _ = try DockerHostSettings(docker)
            } catch {
                errors.merge(error)
            }
        }
        if let process = drivers.clouds[CloudDriverKind.process.rawValue] {
            let section = KnownDrivers.cloudSectionPrefix + CloudDriverKind.process.rawValue
            let reader = SectionReader(section, values: process)
            reader.rejectUnknownKeys(["addresses"], into: &errors)
            ProcessSettings.checkAddresses(reader, into: &errors)
        }
    }

    /// Parses driver names, dropping duplicates and recording unknown ones.
    private static func drivers<Kind: RawRepresentable<String> & Equatable>(
        _ names: [String], key: String, errors: inout ConfigErrors, unknown: (String) -> String
    ) -> [Kind] {
        var result: [Kind] = []
        for name in names {
            guard let kind = Kind(rawValue: name) else {
                errors.add(unknown(name), section: section, key: key)
                continue
            }
            if !result.contains(kind) { result.append(kind) }
        }
        return result
    }
}
