import ArgumentParser
import ReactorCore

/// `reactor endpoints …`: list, inspect, configure and drive endpoints.
struct EndpointsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "endpoints",
        abstract: "List, show, create, update, delete, alias, rename and start/stop/pause endpoints.",
        subcommands: [
            List.self, Show.self, Create.self, Update.self, GetSetting.self, SetSettings.self, Delete.self,
            Alias.self, Rename.self, Start.self, Stop.self, Pause.self, State.self,
        ],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "List endpoints with their state, instance count and current problem, if any (GET /v1.1/summary; "
                + "--json: the names, GET /v1.1/endpoints).")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.run { api, out in
                if out.json { return out.printJSON(try await api.get(APIClient.path("endpoints"))) }
                // One request for the whole list (GET /v1.1/summary).
                let summary = try await api.get(APIClient.path("summary"))
                var rows: [[String]] = []
                for case .object(let endpoint) in summary.objectValue?["endpoints"]?.arrayValue ?? [] {
                    rows.append([
                        EndpointProblem.name(endpoint), ClientOutput.text(endpoint["state"] ?? .null),
                        EndpointProblem.instances(endpoint),
                        EndpointProblem.describe(conditions: EndpointCondition.list(endpoint["conditions"])),
                    ])
                }
                out.printTable(["NAME", "STATE", "INSTANCES", "PROBLEM"], rows)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an endpoint's configuration as INI (GET /v1.1/endpoints/NAME).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String

        func run() async throws {
            try await options.run { api, out in
                let configuration = try await api.get(APIClient.path("endpoints", name))
                if out.json { return out.printJSON(configuration) }
                print(ConfigFile.iniText(configuration))
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an endpoint (PUT /v1.1/endpoints/NAME); fails if the name is taken.",
            discussion: "Without --file the endpoint gets the default configuration.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String
        @Option(name: .shortAndLong, help: "Configuration file, INI or JSON ('-' for standard input).")
        var file: String?

        func run() async throws {
            try await options.run { api, out in
                let configuration = try file.map(ConfigFile.read) ?? .object([:])
                try await api.send("PUT", APIClient.path("endpoints", name), body: configuration)
                out.done("created endpoint '\(name)'")
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace an existing endpoint's configuration (POST /v1.1/endpoints/NAME).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String
        @Option(name: .shortAndLong, help: "Configuration file, INI or JSON ('-' for standard input).")
        var file: String

        func run() async throws {
            try await options.run { api, out in
                let configuration = try ConfigFile.read(file)
                // POST would create a missing endpoint; an update of a mistyped name should fail.
                _ = try await api.get(APIClient.path("endpoints", name))
                try await api.send("POST", APIClient.path("endpoints", name), body: configuration)
                out.done("updated endpoint '\(name)'")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete an endpoint (DELETE /v1.1/endpoints/NAME).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String

        func run() async throws {
            try await options.run { api, out in
                try await api.send("DELETE", APIClient.path("endpoints", name))
                out.done("deleted endpoint '\(name)'")
            }
        }
    }

    struct Alias: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give an endpoint another name (POST /v1.1/endpoints/NAME/alias).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String
        @Argument(help: "The new name.") var alias: String

        func run() async throws {
            try await options.run { api, out in
                try await api.send("POST", APIClient.path("endpoints", name, "alias"), body: .string(alias))
                out.done("'\(alias)' is now an alias of '\(name)'")
            }
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start scaling an endpoint (state RUNNING).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String
        func run() async throws {
            try await EndpointsCommand.setState(options, name: name, action: "start", state: "RUNNING")
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop an endpoint: scale to zero (state STOPPED).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String
        func run() async throws {
            try await EndpointsCommand.setState(options, name: name, action: "stop", state: "STOPPED")
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pause an endpoint: leave it as it is (state PAUSED).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String
        func run() async throws {
            try await EndpointsCommand.setState(options, name: name, action: "pause", state: "PAUSED")
        }
    }

    struct State: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an endpoint's state, owning manager and active backends (GET …/state).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String

        func run() async throws {
            try await options.run { api, out in
                let state = try await api.get(APIClient.path("endpoints", name, "state"))
                if out.json { return out.printJSON(state) }
                let members = state.objectValue ?? [:]
                let active = members["active"]?.arrayValue ?? []
                out.printTable(
                    ["STATE", "MANAGER", "ACTIVE"],
                    [
                        [
                            ClientOutput.text(members["state"] ?? .null),
                            ClientOutput.text(members["manager"] ?? .null),
                            active.isEmpty ? "-" : ClientOutput.text(.array(active)),
                        ]
                    ])
            }
        }
    }

    /// `POST /v1.1/endpoints/NAME/state {"action": action}`.
    private static func setState(_ options: ClientOptions, name: String, action: String, state: String) async throws {
        try await options.run { api, out in
            try await api.send("POST", APIClient.path("endpoints", name, "state"), body: ["action": .string(action)])
            out.done("endpoint '\(name)' is \(state)")
        }
    }
}
