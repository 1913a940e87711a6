import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

@main
struct Reactor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reactor",
        abstract:
            "Keeps fleets of application instances sized to their load, and their load balancers pointed at live instances.",
        discussion: """
            State lives in Apache ZooKeeper. Give its ensemble with --zookeeper or REACTOR_ZOOKEEPER \
            (host:port[,host:port…][/chroot], default 127.0.0.1:2181).
            """,
        version: ReactorVersion.current,
        subcommands: [
            UpCommand.self, ServerCommand.self, APICommand.self, ManagerCommand.self, ZKCommand.self, DumpCommand.self,
            ZooKeeperCommand.self,
        ]
            + ClientCommands.all
    )

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let hint = CommandSuggestion.hint(for: arguments, root: Reactor.self) {
            FileHandle.standardError.write(
                Data("Error: unknown command '\(hint.word)'; did you mean 'reactor \(hint.command)'?\n".utf8))
            Foundation.exit(64)
        }
        // `reactor api` answers each request in a Swift task: with the tasks run on NIO's event
        // loops, a request no longer hops between the loop and Swift's thread pool. Only there:
        // nothing in the API blocks a thread (ZooKeeper calls complete on the C library's thread).
        if CommandLine.arguments.dropFirst().first == "api" {
            _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        await main(nil)
    }
}
