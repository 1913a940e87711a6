/// The words the drivers' errors share, so that every driver says the same thing the same way.
struct DriverErrorWording {
    /// The driver's name as an endpoint names it (`tcp`, `nginx`, `haproxy`); for nginx and haproxy also
    /// the program's.
    var driver: String
    /// The URL forms the driver serves, e.g. `tcp://[host:]port`.
    var serves: String

    func invalidURL(_ url: String) -> String {
        "loadbalancer \(driver) serves \(serves); cannot serve '\(url)'"
    }

    func invalidSetting(key: String, value: String, expected: String) -> String {
        "[loadbalancer:\(driver)] \(key) = '\(value)': expected \(expected)"
    }

    /// A problem of the driver as a whole, said in `reason`'s words.
    func problem(_ reason: String) -> String {
        "loadbalancer \(driver): \(reason)"
    }

    /// The program's check refused the configuration.
    func rejected(_ message: String) -> String {
        "\(driver) rejected the configuration (the previous one keeps serving): \(message)"
    }

    /// The program is not installed.
    var notInstalled: String {
        problem("\(driver) is not installed (no \(driver) on PATH or in /usr/sbin)")
    }
}
