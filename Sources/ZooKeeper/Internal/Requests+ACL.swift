import CZooKeeper

/// The C side of ACL reads and writes (`zoo_aget_acl`, `zoo_aset_acl`).
extension ZooKeeperClient {
    func requestACL(_ path: String) async throws -> [NodeACL] {
        try await submit(path: path) { zh, box in zoo_aget_acl(zh, path, ACLCallbacks.acl, box) }
    }

    func requestSetCreatorACL(_ path: String) async throws {
        try await submit(path: path, isWrite: true) { zh, box in
            zoo_aset_acl(zh, path, -1, core.createACL, Callbacks.void, box)
        } as Void
    }
}

enum ACLCallbacks {
    static let acl: acl_completion_t = { rc, list, _, data in
        guard let box = Completion<[NodeACL]>.take(data) else { return }
        guard rc == ZOK.rawValue else { return box.fail(rc) }
        var entries: [NodeACL] = []
        if let list = list?.pointee, let items = list.data {
            for index in 0..<Int(list.count) {
                let item = items[index]
                entries.append(
                    NodeACL(
                        scheme: item.id.scheme.map { String(cString: $0) } ?? "",
                        id: item.id.id.map { String(cString: $0) } ?? "", permissions: item.perms))
            }
        }
        box.continuation.resume(returning: entries)
    }
}
