import ArgumentParser

/// The client commands: a CLI over the REST API (`--api URL`, `--auth-key KEY`, `--json`).
enum ClientCommands {
    static let all: [any ParsableCommand.Type] = [
        EndpointsCommand.self, IPsCommand.self, InstancesCommand.self, MetricsCommand.self, SessionsCommand.self,
        LogCommand.self, ManagersCommand.self, URLCommand.self, InfoCommand.self, RegisterCommand.self,
        UnregisterCommand.self, AuthKeyCommand.self, ExplainCommand.self, ScalingCommand.self, MetadataCommand.self,
    ]
}
