import ArgumentParser
import ReactorCore

/// `reactor auth-key …`: the admin key every admin route then needs.
struct AuthKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth-key",
        abstract: "Set or remove the admin key (POST /v1.1/auth_key).",
        discussion: """
            Once a key is set, admin commands need it: --auth-key KEY or REACTOR_AUTH_KEY. Changing or \
            clearing the key needs the current one.
            """,
        subcommands: [Set.self, Clear.self]
    )

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a new admin key.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The new key.") var key: String

        func validate() throws {
            guard !key.isEmpty else {
                throw ValidationError("the key must not be empty; use `auth-key clear` to remove it")
            }
        }

        func run() async throws {
            try await options.run { api, out in
                try await api.send("POST", APIClient.path("auth_key"), body: ["auth_key": .string(key)])
                out.done("admin key set; give it with --auth-key or REACTOR_AUTH_KEY from now on")
            }
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the admin key: admin routes are open again.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.run { api, out in
                try await api.send("POST", APIClient.path("auth_key"), body: ["auth_key": .null])
                out.done("admin key removed")
            }
        }
    }
}
