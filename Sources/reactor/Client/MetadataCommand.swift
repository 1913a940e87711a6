import ArgumentParser
import Foundation
import ReactorCore

/// `reactor metadata NAME [KEY] [--set JSON | --file PATH | --delete]`: an endpoint's metadata.
struct MetadataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metadata",
        abstract: "List, read, set and delete an endpoint's metadata (GET|POST|DELETE …/metadata[/KEY]).",
        discussion: """
            Without KEY: the keys, one per line. With KEY: the value (a string bare, anything else as \
            JSON). --set stores a JSON value (a string needs its quotes: --set '"v2"'), --file reads \
            it from a file ('-' for standard input), --delete removes the key.
            """)
    @OptionGroup var options: ClientOptions
    @Argument(help: "The endpoint's name.") var name: String
    @Argument(help: "The metadata key.") var key: String?
    @Option(help: ArgumentHelp("Store this JSON value under KEY.", valueName: "json")) var set: String?
    @Option(name: .shortAndLong, help: "Store the JSON value in this file under KEY ('-' for standard input).")
    var file: String?
    @Flag(help: "Remove KEY.") var delete = false

    func validate() throws {
        let writes = [set != nil, file != nil, delete].filter { $0 }.count
        guard writes <= 1 else { throw ValidationError("give only one of --set, --file and --delete") }
        guard writes == 0 || key != nil else { throw ValidationError("--set, --file and --delete need a KEY") }
        if let set, JSONValue(validJSON: set) == nil {
            throw ValidationError("--set must be one JSON value (a string in quotes: --set '\"text\"'), got '\(set)'")
        }
    }

    func run() async throws {
        try await options.run { api, out in
            guard let key else {
                let keys = try await api.get(APIClient.path("endpoints", name, "metadata"))
                if out.json { return out.printJSON(keys) }
                for key in keys.arrayValue ?? [] { print(ClientOutput.text(key)) }
                return
            }
            let path = APIClient.path("endpoints", name, "metadata", key)
            if delete {
                try await api.send("DELETE", path)
                return out.done("removed metadata key '\(key)' of endpoint '\(name)'")
            }
            if let value = try writtenValue() {
                try await api.send("POST", path, body: value)
                return out.done("set metadata key '\(key)' of endpoint '\(name)'")
            }
            let value = try await api.get(path)
            if case .string(let text) = value, !out.json { return print(text) }
            out.printJSON(value)
        }
    }

    /// The value of `--set` or `--file`; `nil` for a read.
    private func writtenValue() throws(ClientError) -> JSONValue? {
        if let set { return JSONValue(validJSON: set) }
        guard let file else { return nil }
        let data = try ConfigFile.contents(file)
        guard let value = JSONValue(validJSON: data) else {
            throw ClientError.local("\(ConfigFile.displayName(file)): not one JSON value")
        }
        return value
    }
}
