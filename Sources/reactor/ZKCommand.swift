import ArgumentParser
import Foundation
import ReactorStore
import ZooKeeper

/// Low-level access to Reactor's ZooKeeper state, for operators and tests.
struct ZKCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zk",
        abstract: "Inspect and edit ZooKeeper nodes directly (for troubleshooting).",
        subcommands: [List.self, Get.self, Set.self, Create.self, Remove.self, Secure.self]
    )

    struct Secure: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give every Reactor node (/reactor and below) the ACL of --zookeeper-auth's credentials alone.",
            discussion: """
                Closes a tree made by a process without --zookeeper-auth, whose nodes anyone who reaches \
                ZooKeeper may change. Run it with the credentials the installation runs with; afterwards every \
                process needs them.
                """)
        @OptionGroup var zookeeper: ZooKeeperOptions

        func run() async throws {
            try await withClient(zookeeper) { client in
                let store = ReactorStore(client: client)
                let count = try await store.secureTree()
                let open = try await store.openACLPaths()
                guard open.isEmpty else {
                    throw ValidationFailure("still open after securing: \(open.joined(separator: ", "))")
                }
                print("secured \(count) node(s) under /reactor")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a node's children.")
        @OptionGroup var zookeeper: ZooKeeperOptions
        @Argument(help: "The node's path.") var path: String = "/"

        func run() async throws {
            try await withClient(zookeeper) { client in
                for name in try await client.children(path).sorted() { print(name) }
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a node's data.")
        @OptionGroup var zookeeper: ZooKeeperOptions
        @Argument(help: "The node's path.") var path: String

        func run() async throws {
            try await withClient(zookeeper) { client in
                print(try await client.get(path).string)
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a node's data.")
        @OptionGroup var zookeeper: ZooKeeperOptions
        @Argument(help: "The node's path.") var path: String
        @Argument(help: "The data.") var data: String
        @Option(help: "Only if the node is at this version.") var version: Int32 = -1

        func run() async throws {
            try await withClient(zookeeper) { client in
                let stat = try await client.set(path, data: Array(data.utf8), version: version)
                print("version \(stat.version)")
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a node.")
        @OptionGroup var zookeeper: ZooKeeperOptions
        @Argument(help: "The node's path.") var path: String
        @Argument(help: "The data.") var data: String = ""
        @Flag(help: "Ephemeral: gone when this command's session ends.") var ephemeral = false
        @Flag(help: "Append a sequence number to the name.") var sequential = false
        @Flag(help: "Create missing parents.") var parents = false
        @Flag(help: "Keep the session open until SIGTERM or SIGINT (with --ephemeral: hold the node).") var hold = false

        func run() async throws {
            try await withClient(zookeeper) { client in
                let mode: CreateMode =
                    switch (ephemeral, sequential) {
                    case (false, false): .persistent
                    case (true, false): .ephemeral
                    case (false, true): .persistentSequential
                    case (true, true): .ephemeralSequential
                    }
                let created = try await client.create(path, data: Array(data.utf8), mode: mode, createParents: parents)
                print(created)
                if hold {
                    fflush(nil)
                    await waitForTerminationSignal()
                }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete a node.")
        @OptionGroup var zookeeper: ZooKeeperOptions
        @Argument(help: "The node's path.") var path: String
        @Flag(name: .shortAndLong, help: "Delete everything below it too.") var recursive = false

        func run() async throws {
            try await withClient(zookeeper) { client in
                if recursive { try await client.deleteRecursive(path) } else { try await client.delete(path) }
            }
        }
    }
}

/// Runs `body` with a connected client, closes it, and turns ZooKeeper errors into a one-line
/// message and exit code 1.
func withClient(_ options: ZooKeeperOptions, _ body: (ZooKeeperClient) async throws -> Void) async throws {
    let client: ZooKeeperClient
    do {
        client = try await options.connect()
    } catch let error as ZooKeeperError {
        throw ValidationFailure(error.message)
    }
    do {
        try await body(client)
        await client.close()
    } catch let error as ZooKeeperError {
        await client.close()
        throw ValidationFailure(error.description)
    }
}

/// An error printed as one line, exit code 1.
struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
