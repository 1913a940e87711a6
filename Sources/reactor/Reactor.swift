import ArgumentParser


@main
struct Reactor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reactor",
        abstract: "Keeps fleets of application instances sized to their load, and their load balancers pointed at live instances.",
        discussion: """
            State lives in Apache ZooKeeper. Give its ensemble with --zookeeper or REACTOR_ZOOKEEPER \
            (host:port[,host:port…][/chroot], default 127.0.0.1:2181).
            """,
        version: ReactorVersion.current,
        subcommands: [UpCommand.self, ServerCommand.self, APICommand.self, ManagerCommand.self, ZKCommand.self] + ClientCommands.all
    )
}
