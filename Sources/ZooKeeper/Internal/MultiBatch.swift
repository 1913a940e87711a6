import CZooKeeper

#if canImport(Glibc)
import Glibc
#endif

/// The C memory of one `zoo_amulti` call: the operations, their results, and the buffers the
/// library writes created paths and stats into. It lives until the completion has read it.
final class MultiBatch {
    let operations: [MultiOperation]
    let ops: UnsafeMutablePointer<zoo_op_t>
    let results: UnsafeMutablePointer<zoo_op_result_t>
    private var allocations: [UnsafeMutableRawPointer] = []
    private var stats: [Int: UnsafeMutablePointer<CZooKeeper.Stat>] = [:]
    private static let pathBufferSize = 1024

    /// - Parameters:
    ///   - operations: the operations, in order.
    ///   - acl: the ACL of the nodes created.
    init(_ operations: [MultiOperation], acl: UnsafeMutablePointer<ACL_vector>) {
        self.operations = operations
        ops = .allocate(capacity: operations.count)
        ops.initialize(repeating: zoo_op_t(), count: operations.count)
        results = .allocate(capacity: operations.count)
        results.initialize(repeating: zoo_op_result_t(), count: operations.count)
        for (index, operation) in operations.enumerated() {
            switch operation {
            case .create(let path, let data, let mode):
                let buffer = allocate(Self.pathBufferSize).assumingMemoryBound(to: CChar.self)
                zoo_create_op_init(
                    ops + index, copy(path), copy(data), Int32(data.count), acl,
                    mode.cValue, buffer, Int32(Self.pathBufferSize))
            case .set(let path, let data, let version):
                let stat = allocate(MemoryLayout<CZooKeeper.Stat>.size).bindMemory(
                    to: CZooKeeper.Stat.self, capacity: 1)
                stats[index] = stat
                zoo_set_op_init(ops + index, copy(path), copy(data), Int32(data.count), version, stat)
            case .delete(let path, let version):
                zoo_delete_op_init(ops + index, copy(path), version)
            case .check(let path, let version):
                zoo_check_op_init(ops + index, copy(path), version)
            }
        }
    }

    deinit {
        ops.deinitialize(count: operations.count)
        ops.deallocate()
        results.deinitialize(count: operations.count)
        results.deallocate()
        for allocation in allocations { free(allocation) }
    }

    private func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        let pointer = calloc(1, max(size, 1)) ?? UnsafeMutableRawPointer.allocate(byteCount: 0, alignment: 1)
        allocations.append(pointer)
        return pointer
    }

    private func copy(_ string: String) -> UnsafeMutablePointer<CChar> {
        let utf8 = Array(string.utf8)
        let pointer = allocate(utf8.count + 1)
        utf8.withUnsafeBytes { buffer in
            if let base = buffer.baseAddress { pointer.copyMemory(from: base, byteCount: utf8.count) }
        }
        return pointer.assumingMemoryBound(to: CChar.self)
    }

    private func copy(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar> {
        let pointer = allocate(bytes.count)
        if !bytes.isEmpty {
            bytes.withUnsafeBytes { buffer in
                if let base = buffer.baseAddress { pointer.copyMemory(from: base, byteCount: bytes.count) }
            }
        }
        return pointer.assumingMemoryBound(to: CChar.self)
    }

    /// The results of a batch that succeeded.
    func successResults() -> [MultiResult] {
        operations.indices.map { index in
            switch operations[index] {
            case .create:
                .created(path: results[index].value.map { String(cString: $0) } ?? operations[index].path)
            case .set:
                .set(NodeStat(stats[index].map { UnsafePointer($0) }))
            case .delete:
                .deleted
            case .check:
                .checked
            }
        }
    }

    /// The error of a batch that failed: the first step the server rejected, or the call's own error.
    func failure(_ rc: Int32) -> ZooKeeperError {
        for index in operations.indices {
            let err = results[index].err
            if err != ZOK.rawValue && err != ZRUNTIMEINCONSISTENCY.rawValue {
                let cause = ZooKeeperError.from(err, path: operations[index].path)
                return ZooKeeperError(
                    cause.code, path: cause.path, failedStep: index,
                    message:
                        "batch step \(index) (\(operations[index].verb) \(operations[index].path)): \(cause.message); nothing was applied"
                )
            }
        }
        return ZooKeeperError.from(rc, path: nil)
    }
}

extension MultiOperation {
    var verb: String {
        switch self {
        case .create: "create"
        case .set: "set"
        case .delete: "delete"
        case .check: "check"
        }
    }
}

extension Callbacks {
    static let multi: void_completion_t = { rc, data in
        guard let box = Completion<[MultiResult]>.take(data) else { return }
        guard let batch = box.attachment as? MultiBatch else {
            return box.continuation.resume(throwing: ZooKeeperError(.apiError, message: "batch state lost"))
        }
        if rc == ZOK.rawValue {
            box.continuation.resume(returning: batch.successResults())
        } else {
            box.continuation.resume(throwing: batch.failure(rc))
        }
    }
}
