import ReactorCore

extension BalancerSettingsCheck {
    /// Every problem with a `[loadbalancer:<driver>]` section, one per key at fault, so that the
    /// API's answer names them all at once: unknown keys (with the closest known one), each value
    /// checked on its own, the URL, then (when each key is fine alone) the section as a whole.
    ///
    /// - Returns: `(key, message)` pairs sorted by key; empty when the section is valid.
    public static func problems(
        driver: String, section: [String: String], url: String? = nil
    ) -> [(key: String, message: String)] {
        var found: [String: String] = [:]
        let known = knownKeys[driver]
        for key in section.keys.sorted() {
            if let known, !known.contains(key) {
                found[key] = KeySuggestion.unknownKeyMessage(key, known: known.sorted())
                continue
            }
            if let value = section[key], let (at, message) = problem(driver: driver, section: [key: value]) {
                found[at] = message
            }
        }
        if let url, let message = urlProblem(driver: driver, url: url) { found["url"] = message }
        if found.isEmpty, let (key, message) = problem(driver: driver, section: section, url: url, unknownKeys: true) {
            found[key] = message
        }
        return found.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
