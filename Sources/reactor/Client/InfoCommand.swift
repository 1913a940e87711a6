import ArgumentParser
import ReactorCore

/// `reactor info`: a snapshot of the whole installation.
struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show managers, instances, active connections and endpoints per state (GET /v1.1/info).")
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.run { api, out in
            let info = try await api.get(APIClient.path("info"))
            if out.json { return out.printJSON(info) }
            let version = try await api.get("/").objectValue?["version"] ?? .null
            let members = info.objectValue ?? [:]
            let endpointStates = (members["endpoints"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
                .map { "\($0.value.numberValue.map(ClientOutput.number) ?? "?") \($0.key)" }
            let endpointCount = (members["endpoints"]?.objectValue ?? [:]).values.compactMap(\.numberValue).reduce(0, +)
            let states = endpointStates.isEmpty ? "" : " (\(endpointStates.joined(separator: ", ")))"
            out.printFields([
                ("api", "\(options.api) (version \(ClientOutput.text(version)))"),
                ("managers", ClientOutput.text(members["managers"] ?? .null)),
                ("instances", ClientOutput.text(members["instances"] ?? .null)),
                ("active", ClientOutput.text(members["active"] ?? .null)),
                ("endpoints", ClientOutput.number(endpointCount) + states),
            ])
        }
    }
}
