import ArgumentParser
import Foundation
import ReactorCore
import ReactorStore

/// `reactor dump [PATH]`: the ZooKeeper tree under PATH as one JSON document, read directly
/// from ZooKeeper (no API needed), secrets redacted.
struct DumpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print the ZooKeeper tree under PATH (default /reactor) as one JSON document.",
        discussion: """
            Each node is {"data": JSON, "children": {name: node}}; data that is not JSON is given as \
            "text" (or "base64"), and ephemeral nodes carry "ephemeral": true. The admin key hash, \
            endpoint auth_hash/auth_salt and private keys are printed as "<redacted>". A tree past the \
            limits is refused with a message saying which; nothing is printed then.
            """)
    @OptionGroup var zookeeper: ZooKeeperOptions
    @Argument(help: "The node to start from.") var path: String = ZNodeLayout.root
    @Option(help: "The most levels below PATH.") var maxDepth: Int = ReactorStore.DumpLimits().depth
    @Option(help: "The most nodes.") var maxNodes: Int = ReactorStore.DumpLimits().nodes
    @Option(help: "The most bytes of node data.") var maxBytes: Int = ReactorStore.DumpLimits().bytes

    func validate() throws {
        guard path.hasPrefix("/") else { throw ValidationError("PATH must start with '/', got '\(path)'") }
        guard maxDepth >= 0, maxNodes > 0, maxBytes >= 0 else {
            throw ValidationError("--max-depth, --max-nodes and --max-bytes must not be negative (--max-nodes > 0)")
        }
    }

    func run() async throws {
        let limits = ReactorStore.DumpLimits(depth: maxDepth, nodes: maxNodes, bytes: maxBytes)
        var refusal: ReactorStore.DumpError?
        try await withClient(zookeeper) { client in
            do {
                print(ClientOutput.pretty(try await ReactorStore(client: client).dump(at: path, limits: limits)))
            } catch let error as ReactorStore.DumpError {
                refusal = error  // reported once the session is closed
            }
        }
        if let refusal { throw ValidationFailure(refusal.description) }
    }
}
