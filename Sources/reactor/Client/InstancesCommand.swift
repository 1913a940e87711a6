import ArgumentParser
import ReactorCore

/// `reactor instances …`: the cloud instances associated with an endpoint.
struct InstancesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instances",
        abstract: "List, associate and disassociate an endpoint's instances.",
        subcommands: [List.self, Associate.self, Disassociate.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List an endpoint's instance ids (GET /v1.1/endpoints/NAME/instances).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String

        func run() async throws {
            try await options.run { api, out in
                let instances = try await api.get(APIClient.path("endpoints", name, "instances"))
                if out.json { return out.printJSON(instances) }
                for instance in instances.arrayValue ?? [] { print(ClientOutput.text(instance)) }
            }
        }
    }

    struct Associate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Associate an instance with an endpoint (POST …/instances/INSTANCE).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String
        @Argument(help: "The cloud's instance id.") var instance: String

        func run() async throws {
            try await options.run { api, out in
                try await api.send("POST", APIClient.path("endpoints", name, "instances", instance))
                out.done("associated instance '\(instance)' with endpoint '\(name)'")
            }
        }
    }

    struct Disassociate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disassociate an instance from an endpoint (DELETE …/instances/INSTANCE).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String
        @Argument(help: "The cloud's instance id.") var instance: String

        func run() async throws {
            try await options.run { api, out in
                try await api.send("DELETE", APIClient.path("endpoints", name, "instances", instance))
                out.done("disassociated instance '\(instance)' from endpoint '\(name)'")
            }
        }
    }
}
