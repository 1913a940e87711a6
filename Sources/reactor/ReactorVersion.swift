/// The version this build reports.
enum ReactorVersion {
    static let current = "0.1.0"
}
