import ArgumentParser
import ReactorCore

/// `reactor sessions …`: the client sessions an endpoint's balancers hold.
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List and drop an endpoint's client sessions.",
        subcommands: [List.self, Drop.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List live sessions, client to backend (GET /v1.1/endpoints/NAME/sessions).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String

        func run() async throws {
            try await options.run { api, out in
                let sessions = try await api.get(APIClient.path("endpoints", name, "sessions"))
                if out.json { return out.printJSON(sessions) }
                let rows = (sessions.objectValue ?? [:]).sorted { $0.key < $1.key }.map {
                    [$0.key, ClientOutput.text($0.value)]
                }
                out.printTable(["CLIENT", "BACKEND"], rows)
            }
        }
    }

    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask the balancers to cut a client session (DELETE …/sessions/CLIENT).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String
        @Argument(help: "The client as host:port, as `sessions list` shows it.") var client: String

        func run() async throws {
            try await options.run { api, out in
                // The API files a drop for any client; a mistyped one would be "asked" and never cut.
                let sessions = try await api.get(APIClient.path("endpoints", name, "sessions"))
                guard sessions.objectValue?[client] != nil else {
                    throw ClientError.local(
                        "endpoint '\(name)' has no session of client '\(client)'; see reactor sessions list \(name)")
                }
                try await api.send("DELETE", APIClient.path("endpoints", name, "sessions", client))
                out.done("asked to drop session '\(client)' of endpoint '\(name)'")
            }
        }
    }
}
