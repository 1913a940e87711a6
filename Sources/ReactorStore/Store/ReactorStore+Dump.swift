import Foundation
import ReactorCore
import ZooKeeper

/// The whole tree under a node as one JSON document, for `reactor dump`: what an operator
/// checks after a migration or attaches to a report, with key hashes and salts left out.
extension ReactorStore {
    /// How much ``dump(at:limits:)`` reads before it gives up.
    public struct DumpLimits: Sendable, Hashable {
        /// Levels below the starting node; default 32.
        public var depth: Int
        /// Nodes in all; default 20000.
        public var nodes: Int
        /// Bytes of data in all; default 64 MiB.
        public var bytes: Int

        /// - Parameters:
        ///   - depth: default 32.
        ///   - nodes: default 20000.
        ///   - bytes: default 64 MiB.
        public init(depth: Int = 32, nodes: Int = 20000, bytes: Int = 64 << 20) {
            self.depth = depth
            self.nodes = nodes
            self.bytes = bytes
        }
    }

    /// Why a dump stopped.
    public enum DumpError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The starting node does not exist.
        case noNode(String)
        /// The tree is larger than ``DumpLimits`` allows; `what` says which limit.
        case tooLarge(path: String, what: String)

        public var description: String {
            switch self {
            case .noNode(let path): "there is no node \(path)"
            case .tooLarge(let path, let what):
                "the tree under \(path) has \(what); dump a smaller path or raise the limit"
            }
        }
    }

    /// What replaces a secret in a dump.
    public static let redacted = "<redacted>"

    /// The tree under `path`: each node `{"data": …, "children": {name: node}}`; `data` is the
    /// node's JSON when it parses, else `"text"` (UTF-8) or `"base64"` holds it; an empty node
    /// has none of them. Ephemeral nodes carry `"ephemeral": true`.
    ///
    /// Secrets are replaced by ``redacted``: the admin key hash (`/reactor/auth`) and, in any
    /// JSON object, the members `auth_hash`, `auth_salt` and private keys in PEM form
    /// (`ssl_key`, or any string holding `PRIVATE KEY`).
    ///
    /// - Throws: ``DumpError`` when `path` does not exist or the tree passes `limits`.
    public func dump(at path: String, limits: DumpLimits = DumpLimits()) async throws -> JSONValue {
        var budget = (nodes: limits.nodes, bytes: limits.bytes)
        guard let tree = try await dumpNode(path, depth: 0, root: path, limits: limits, budget: &budget) else {
            throw DumpError.noNode(path)
        }
        return tree
    }

    private func dumpNode(
        _ path: String, depth: Int, root: String, limits: DumpLimits, budget: inout (nodes: Int, bytes: Int)
    ) async throws -> JSONValue? {
        let node: NodeData
        let children: [String]
        do {
            node = try await client.get(path)
            children = try await client.children(path).sorted()
        } catch let error as ZooKeeperError where error.code == .noNode {
            return nil  // removed while the dump ran
        }
        budget.nodes -= 1
        budget.bytes -= node.bytes.count
        if budget.nodes < 0 { throw DumpError.tooLarge(path: root, what: "more than \(limits.nodes) nodes") }
        if budget.bytes < 0 { throw DumpError.tooLarge(path: root, what: "more than \(limits.bytes) bytes of data") }
        var members = Self.dumpData(node.bytes, path: path)
        if node.stat.ephemeralOwner != 0 { members["ephemeral"] = true }
        if !children.isEmpty {
            guard depth < limits.depth else {
                throw DumpError.tooLarge(path: root, what: "nodes more than \(limits.depth) levels deep (\(path))")
            }
            var dumped: [String: JSONValue] = [:]
            for child in children {
                let childPath = path == "/" ? "/\(child)" : "\(path)/\(child)"
                dumped[child] = try await dumpNode(
                    childPath, depth: depth + 1, root: root, limits: limits, budget: &budget)
            }
            members["children"] = .object(dumped)
        }
        return .object(members)
    }

    /// The data members of one dumped node, secrets redacted.
    static func dumpData(_ bytes: [UInt8], path: String) -> [String: JSONValue] {
        guard !bytes.isEmpty else { return [:] }
        if path == ZNodeLayout.auth { return ["data": .string(redacted)] }
        if let value = JSONValue(validJSON: Data(bytes)) { return ["data": redactingSecrets(value)] }
        if let text = String(validating: bytes, as: UTF8.self) { return ["text": .string(redactingSecrets(text))] }
        return ["base64": .string(Data(bytes).base64EncodedString())]
    }

    /// Members that hold key hashes, salts or private keys.
    static let secretMembers: Set<String> = ["auth_hash", "auth_salt", "ssl_key"]

    /// INI text (how configurations may have been stored by hand or by older tools) with the
    /// values of ``secretMembers`` and PEM private keys replaced by ``redacted``.
    static func redactingSecrets(_ text: String) -> String {
        if text.contains("PRIVATE KEY") { return redacted }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard let equals = line.firstIndex(of: "=") else { return String(line) }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            return secretMembers.contains(key) ? "\(line[..<equals])= \(redacted)" : String(line)
        }
        return lines.joined(separator: "\n")
    }

    /// `value` with every secret (``secretMembers``, and strings holding a PEM private key)
    /// replaced by ``redacted``.
    static func redactingSecrets(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(
                members.reduce(into: [:]) { result, member in
                    let isSecret = secretMembers.contains(member.key) && member.value != .string("")
                    result[member.key] = isSecret ? .string(redacted) : redactingSecrets(member.value)
                })
        case .array(let items):
            return .array(items.map(redactingSecrets))
        case .string(let text) where text.contains("PRIVATE KEY"):
            return .string(redacted)
        default:
            return value
        }
    }
}
