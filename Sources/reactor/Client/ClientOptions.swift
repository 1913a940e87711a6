import ArgumentParser
import Foundation

/// `--api`, `--auth-key`, `--json` and `--timeout`, shared by every client command.
struct ClientOptions: ParsableArguments {
    /// Where the API is when neither `--api` nor `REACTOR_API` says.
    static let defaultAPI = "http://127.0.0.1:8080"

    @Option(name: .customLong("api"), help: "The Reactor API's base URL (env REACTOR_API).")
    var api: String = ClientOptions.environment("REACTOR_API") ?? ClientOptions.defaultAPI

    @Option(help: "The admin key, sent as X-Auth-Key (env REACTOR_AUTH_KEY).")
    var authKey: String?

    @Flag(help: "Print the API's JSON (pretty-printed) instead of tables.")
    var json = false

    @Option(help: "Seconds to wait for each API request.")
    var timeout: Double = 10

    func validate() throws {
        guard let url = URL(string: api), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host?.isEmpty == false
        else {
            throw ValidationError("--api must be an http:// or https:// URL, got '\(api)'")
        }
        guard timeout > 0, timeout.isFinite else {
            throw ValidationError("--timeout must be a positive number of seconds")
        }
    }

    /// The client for these options.
    var client: APIClient {
        let key = authKey ?? Self.environment("REACTOR_AUTH_KEY")
        return APIClient(base: api, authKey: key.flatMap { $0.isEmpty ? nil : $0 }, timeout: timeout)
    }

    /// What commands print with.
    var output: ClientOutput { ClientOutput(json: json) }

    /// Runs a client command: API failures become a one-line `reactor: …` message on standard
    /// error and the exit code of ``ClientError``, never a trace.
    func run(_ body: (APIClient, ClientOutput) async throws -> Void) async throws {
        do {
            try await body(client, output)
            ClientOutput.flush()
        } catch let error as ClientError {
            ClientOutput.flush()
            ClientOutput.printError(error.message)
            throw ExitCode(error.exitCode)
        }
    }

    private static func environment(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
