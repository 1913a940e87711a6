/// `[cloud:process]` in an endpoint, checked as the process cloud reads it: `command`,
/// `environment` and `addresses`, every bad key named at once.
public enum ProcessSettings {
    public static let section = KnownDrivers.cloudSectionPrefix + CloudDriverKind.process.rawValue
    /// The keys the process cloud reads from an endpoint's section.
    public static let keys = ["addresses", "command", ProcessEnvironment.key]

    /// Every problem with an endpoint's `[cloud:process]` section; empty when there is none.
    /// A missing `command` is no problem here: the endpoint may be written before its command is
    /// known, and its launches say so (its `LaunchFailing` condition) until it is set.
    public static func problems(_ values: [String: String]) -> ConfigErrors {
        var errors = ConfigErrors()
        let reader = SectionReader(section, values: values)
        reader.rejectUnknownKeys(keys, into: &errors)
        checkAddresses(reader, into: &errors)
        if let text = reader.string(ProcessEnvironment.key) {
            do {
                _ = try ProcessEnvironment.parse(text)
            } catch {
                errors.add(error.description, section: section, key: ProcessEnvironment.key)
            }
        }
        return errors
    }

    /// `addresses` as the process cloud leases from it: an endpoint's and a manager's section alike.
    static func checkAddresses(_ reader: SectionReader, into errors: inout ConfigErrors) {
        guard let block = reader.string("addresses"), !DockerHostSettings.isAddressPool(block) else { return }
        errors.add(
            "'\(block)' is not an IPv4 block like 127.0.1.0/24 (prefix 8 to 30)", section: reader.section,
            key: "addresses")
    }
}
