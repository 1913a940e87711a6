import CZooKeeper

/// The C side of the client's calls: each public operation of ``ZooKeeperClient`` becomes one
/// asynchronous `zoo_a*` request here, and its completion resumes the caller (see
/// ``CallRegistry`` and ``Completion``). Nothing outside `Internal/` names the C library.
extension ZooKeeperClient {
    func requestCreate(_ path: String, data: [UInt8], mode: CreateMode) async throws -> String {
        try await submit(path: path, isWrite: true) { zh, box in
            data.withUnsafeBytes { bytes in
                zoo_acreate(
                    zh, path, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count),
                    core.createACL, mode.cValue, Callbacks.string, box)
            }
        }
    }

    func requestSet(_ path: String, data: [UInt8], version: Int32) async throws -> NodeStat {
        try await submit(path: path, isWrite: true) { zh, box in
            data.withUnsafeBytes { bytes in
                zoo_aset(
                    zh, path, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), version,
                    Callbacks.stat, box)
            }
        }
    }

    func requestDelete(_ path: String, version: Int32) async throws {
        try await submit(path: path, isWrite: true) { zh, box in zoo_adelete(zh, path, version, Callbacks.void, box) }
            as Void
    }

    func requestMulti(_ operations: [MultiOperation]) async throws -> [MultiResult] {
        let batch = MultiBatch(operations, acl: core.createACL)
        return try await submit(path: operations[0].path, attachment: batch, isWrite: true) { zh, box in
            zoo_amulti(zh, Int32(operations.count), batch.ops, batch.results, Callbacks.multi, box)
        }
    }

    func requestGet(_ path: String) async throws -> NodeData {
        try await submit(path: path) { zh, box in zoo_aget(zh, path, 0, Callbacks.data, box) }
    }

    func requestGetWatching(_ path: String) async throws -> (NodeData, Watch) {
        try await watching(path) { zh, watchContext, box in
            zoo_awget(zh, path, Callbacks.watch, watchContext, Callbacks.data, box)
        }
    }

    func requestExists(_ path: String) async throws -> NodeStat? {
        try await submit(path: path) { zh, box in zoo_aexists(zh, path, 0, Callbacks.optionalStat, box) }
    }

    func requestExistsWatching(_ path: String) async throws -> (NodeStat?, Watch) {
        try await watching(path) { zh, watchContext, box in
            zoo_awexists(zh, path, Callbacks.watch, watchContext, Callbacks.optionalStat, box)
        }
    }

    func requestChildren(_ path: String) async throws -> [String] {
        try await submit(path: path) { zh, box in zoo_aget_children2(zh, path, 0, Callbacks.children, box) }
    }

    func requestChildrenWatching(_ path: String) async throws -> ([String], Watch) {
        try await watching(path) { zh, watchContext, box in
            zoo_awget_children2(zh, path, Callbacks.watch, watchContext, Callbacks.children, box)
        }
    }

    /// Hands one call to the library and waits for its completion.
    func submit<Value>(
        path: String, watchID: UInt = 0, attachment: AnyObject? = nil, isWrite: Bool = false,
        _ start: (OpaquePointer, UnsafeRawPointer?) -> Int32
    ) async throws -> Value {
        if isWrite {
            core.writes.wrappingAdd(1, ordering: .relaxed)
        } else {
            core.reads.wrappingAdd(1, ordering: .relaxed)
        }
        return try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Value, any Error>) in
            let box = Completion(continuation, path: path, watchID: watchID)
            box.attachment = attachment
            let rc: Int32
            var id: UInt = 0
            do throws(ZooKeeperError) {
                // Registered under the handle's lock: a close waits for it, and then finds the
                // call in the registry if the library drops it.
                rc = try core.withHandle { zh, generation in
                    id = CallRegistry.register(box, client: core.id, generation: generation)
                    return start(zh, UnsafeRawPointer(bitPattern: id))
                }
            } catch {
                if watchID != 0 { WatchRegistry.complete(watchID, with: .failure(error)) }
                continuation.resume(throwing: error)
                return
            }
            if rc != ZOK.rawValue, let refused = CallRegistry.take(id) as? Completion<Value> {
                refused.fail(rc)
            }
        }
    }

    /// Hands a call that sets a watch to the library; the watch's id is its C context.
    func watching<Value>(
        _ path: String, _ start: (OpaquePointer, UnsafeMutableRawPointer?, UnsafeRawPointer?) -> Int32
    ) async throws -> (Value, Watch) {
        let box = WatchBox()
        let generation = try core.withHandle { _, generation in generation }
        let id = WatchRegistry.register(box, client: core.id, generation: generation)
        let value: Value = try await submit(path: path, watchID: id) { zh, completion in
            start(zh, UnsafeMutableRawPointer(bitPattern: id), completion)
        }
        return (value, Watch(box: box))
    }
}
