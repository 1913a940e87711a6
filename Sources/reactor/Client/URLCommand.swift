import ArgumentParser
import ReactorCore

/// `reactor url …`: the API URL handed to instances.
struct URLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "url",
        abstract: "Show, set or clear the API URL given to instances.",
        subcommands: [Show.self, Set.self, Clear.self],
        defaultSubcommand: Show.self
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the URL (GET /v1.1/url).")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.run { api, out in
                let reply = try await api.get(APIClient.path("url"))
                if out.json { return out.printJSON(reply) }
                let url = reply.objectValue?["url"]?.stringValue ?? ""
                print(url.isEmpty ? "(not set)" : url)
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set the URL (POST /v1.1/url).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "An http:// or https:// URL.") var url: String

        func run() async throws {
            try await options.run { api, out in
                try await api.send("POST", APIClient.path("url"), body: ["url": .string(url)])
                out.done("url set to \(url)")
            }
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the URL (POST /v1.1/url with null).")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.run { api, out in
                try await api.send("POST", APIClient.path("url"), body: ["url": .null])
                out.done("url cleared")
            }
        }
    }
}
