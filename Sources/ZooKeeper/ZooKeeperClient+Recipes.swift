extension ZooKeeperClient {
    /// Deletes a node and everything below it. A node that is already gone is not an error.
    ///
    /// Not atomic: a concurrent writer adding children can make it fail with `notEmpty`, in
    /// which case it tries again a few times.
    public func deleteRecursive(_ path: String) async throws {
        try ZNodePath.validate(path)
        for attempt in 1...5 {
            do {
                let names: [String]
                do {
                    names = try await children(path)
                } catch let error as ZooKeeperError where error.code == .noNode {
                    return
                }
                for name in names {
                    try await deleteRecursive(ZNodePath.join(path, name))
                }
                if path == "/" { return }
                try await delete(path)
                return
            } catch let error as ZooKeeperError where error.code == .noNode {
                return
            } catch let error as ZooKeeperError where error.code == .notEmpty && attempt < 5 {
                continue
            }
        }
    }
}
