import ArgumentParser
import ReactorCore

/// `reactor ips NAME`: an endpoint's confirmed instance IPs.
struct IPsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ips",
        abstract: "List an endpoint's confirmed instance IPs (GET /v1.1/endpoints/NAME/ips).")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The endpoint's name.") var name: String

    func run() async throws {
        try await options.run { api, out in
            let ips = try await api.get(APIClient.path("endpoints", name, "ips"))
            if out.json { return out.printJSON(ips) }
            for ip in ips.arrayValue ?? [] { print(ClientOutput.text(ip)) }
        }
    }
}
