import ArgumentParser
import ReactorCore

/// `reactor managers …`: manager configurations, running managers and manager logs.
struct ManagersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "managers",
        abstract: "Manager configurations (configs), running managers (active) and their logs (log).",
        subcommands: [Configs.self, Active.self, Log.self]
    )

    struct Configs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, show, set and delete manager configurations.",
            subcommands: [List.self, Show.self, Set.self, Delete.self],
            defaultSubcommand: List.self
        )

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List the names that have a configuration (GET /v1.1/managers/configs).")
            @OptionGroup var options: ClientOptions

            func run() async throws {
                try await options.run { api, out in
                    let names = try await api.get(APIClient.path("managers", "configs"))
                    if out.json { return out.printJSON(names) }
                    for name in names.arrayValue ?? [] { print(ClientOutput.text(name)) }
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print a manager's configuration as INI (GET /v1.1/managers/configs/NAME).")
            @OptionGroup var options: ClientOptions
            @Argument(help: "The manager's name.") var name: String

            func run() async throws {
                try await options.run { api, out in
                    let configuration = try await api.get(APIClient.path("managers", "configs", name))
                    if out.json { return out.printJSON(configuration) }
                    print(ConfigFile.iniText(configuration))
                }
            }
        }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create or replace a manager's configuration (POST /v1.1/managers/configs/NAME).")
            @OptionGroup var options: ClientOptions
            @Argument(help: "The manager's name.") var name: String
            @Option(name: .shortAndLong, help: "Configuration file, INI or JSON ('-' for standard input).")
            var file: String

            func run() async throws {
                try await options.run { api, out in
                    let configuration = try ConfigFile.read(file)
                    try await api.send("POST", APIClient.path("managers", "configs", name), body: configuration)
                    out.done("set the configuration of manager '\(name)'")
                }
            }
        }

        struct Delete: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Delete a manager's configuration (DELETE /v1.1/managers/configs/NAME).")
            @OptionGroup var options: ClientOptions
            @Argument(help: "The manager's name.") var name: String

            func run() async throws {
                try await options.run { api, out in
                    try await api.send("DELETE", APIClient.path("managers", "configs", name))
                    out.done("deleted the configuration of manager '\(name)'")
                }
            }
        }
    }

    struct Active: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List and show running managers.",
            subcommands: [List.self, Show.self],
            defaultSubcommand: List.self
        )

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List running managers with their name and drivers (GET /v1.1/managers/active).")
            @OptionGroup var options: ClientOptions

            func run() async throws {
                try await options.run { api, out in
                    let ids = try await api.get(APIClient.path("managers", "active"))
                    if out.json { return out.printJSON(ids) }
                    var rows: [[String]] = []
                    for id in ids.arrayValue?.compactMap(\.stringValue) ?? [] {
                        let info: JSONValue
                        do {
                            info = try await api.get(APIClient.path("managers", "active", id))
                        } catch ClientError.api(status: 404, _) {
                            continue  // stopped between the two requests
                        }
                        let members = info.objectValue ?? [:]
                        rows.append([
                            id, ClientOutput.text(members["name"] ?? .null),
                            Self.list(members["clouds"]), Self.list(members["loadbalancers"]),
                        ])
                    }
                    out.printTable(["UUID", "NAME", "CLOUDS", "LOADBALANCERS"], rows)
                }
            }

            private static func list(_ value: JSONValue?) -> String {
                guard let value, value != .array([]) else { return "-" }
                return ClientOutput.text(value)
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Show what a running manager registered (GET /v1.1/managers/active/UUID).")
            @OptionGroup var options: ClientOptions
            @Argument(help: "The manager's uuid, as `managers active list` shows it.") var uuid: String

            func run() async throws {
                try await options.run { api, out in
                    let info = try await api.get(APIClient.path("managers", "active", uuid))
                    if out.json { return out.printJSON(info) }
                    let rows = (info.objectValue ?? [:]).sorted { $0.key < $1.key }.map { key, value in
                        [key, key == "keys" ? "\(value.arrayValue?.count ?? 0) ring keys" : ClientOutput.text(value)]
                    }
                    out.printTable(["KEY", "VALUE"], rows)
                }
            }
        }
    }

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a manager's event log (GET /v1.1/managers/log/NAME), optionally following it.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var reading: LogReading
        @Argument(help: "The manager's name.") var name: String

        func run() async throws {
            try await options.run { api, out in
                try await reading.print(APIClient.path("managers", "log", name), api: api, out: out)
            }
        }
    }
}
