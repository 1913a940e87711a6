import CZooKeeper

/// Joins one C completion callback to the continuation of the task that issued the call.
///
/// The library is given the call's id in ``CallRegistry`` as its `data`; the completion, the
/// caller (when the library refused the call synchronously) or the close of the handle takes the
/// entry out, and only the one that does resumes the continuation.
final class Completion<Value>: PendingCall, @unchecked Sendable {
    // @unchecked: the continuation is resumed once, by whichever single party takes the entry
    // out of CallRegistry; `attachment` is written before the call is submitted and only read
    // afterwards.
    let continuation: UnsafeContinuation<Value, any Error>
    let path: String
    let watchID: UInt
    var attachment: AnyObject?

    init(_ continuation: UnsafeContinuation<Value, any Error>, path: String, watchID: UInt) {
        self.continuation = continuation
        self.path = path
        self.watchID = watchID
    }

    /// The call whose id the library passed back, if it has not been ended already.
    static func take(_ data: UnsafeRawPointer?) -> Completion<Value>? {
        let id = UInt(bitPattern: data)
        guard id != 0 else { return nil }
        return CallRegistry.take(id) as? Completion<Value>
    }

    func fail(_ rc: Int32) {
        fail(ZooKeeperError.from(rc, path: path))
    }

    func abandon(_ error: ZooKeeperError) {
        fail(ZooKeeperError(error.code, path: path, message: error.message))
    }

    private func fail(_ error: ZooKeeperError) {
        if watchID != 0 { WatchRegistry.complete(watchID, with: .failure(error)) }
        continuation.resume(throwing: error)
    }
}

extension ZooKeeperError {
    /// The typed error for a C return code, with a readable message.
    static func from(_ rc: Int32, path: String?) -> ZooKeeperError {
        let code = rc == ZCLOSING.rawValue ? Code.clientClosed : Code(rawValue: rc)
        let message: String =
            switch code {
            case .noNode: "no such node"
            case .nodeExists: "the node already exists"
            case .badVersion: "the node changed since it was read (version mismatch)"
            case .notEmpty: "the node has children"
            case .noChildrenForEphemerals: "ephemeral nodes cannot have children"
            case .connectionLoss: "the connection to ZooKeeper was lost; the outcome is unknown"
            case .sessionExpired: "the ZooKeeper session expired"
            case .clientClosed: "the ZooKeeper client is closed"
            case .marshallingError: "the request could not be encoded (is the data too large?)"
            default: String(cString: zerror(rc))
            }
        return ZooKeeperError(code, path: path, message: message)
    }
}

extension NodeStat {
    init(_ stat: UnsafePointer<CZooKeeper.Stat>?) {
        guard let stat = stat?.pointee else {
            self.init()
            return
        }
        self.init(
            czxid: stat.czxid, mzxid: stat.mzxid, ctime: stat.ctime, mtime: stat.mtime, version: stat.version,
            cversion: stat.cversion, aversion: stat.aversion, ephemeralOwner: stat.ephemeralOwner,
            dataLength: stat.dataLength, numChildren: stat.numChildren, pzxid: stat.pzxid)
    }
}

extension CreateMode {
    var cValue: Int32 {
        switch self {
        case .persistent: ZOO_PERSISTENT
        case .ephemeral: ZOO_EPHEMERAL
        case .persistentSequential: ZOO_PERSISTENT_SEQUENTIAL
        case .ephemeralSequential: ZOO_EPHEMERAL_SEQUENTIAL
        }
    }
}

enum Callbacks {
    static let void: void_completion_t = { rc, data in
        guard let box = Completion<Void>.take(data) else { return }
        if rc == ZOK.rawValue { box.continuation.resume() } else { box.fail(rc) }
    }

    static let string: string_completion_t = { rc, value, data in
        guard let box = Completion<String>.take(data) else { return }
        if rc == ZOK.rawValue, let value {
            box.continuation.resume(returning: String(cString: value))
        } else {
            box.fail(rc == ZOK.rawValue ? ZMARSHALLINGERROR.rawValue : rc)
        }
    }

    static let stat: stat_completion_t = { rc, stat, data in
        guard let box = Completion<NodeStat>.take(data) else { return }
        if rc == ZOK.rawValue { box.continuation.resume(returning: NodeStat(stat)) } else { box.fail(rc) }
    }

    /// For `exists`: a missing node is an answer (nil), and an existence watch stays set on it.
    static let optionalStat: stat_completion_t = { rc, stat, data in
        guard let box = Completion<NodeStat?>.take(data) else { return }
        if rc == ZOK.rawValue {
            box.continuation.resume(returning: NodeStat(stat))
        } else if rc == ZNONODE.rawValue {
            box.continuation.resume(returning: nil)
        } else {
            box.fail(rc)
        }
    }

    static let data: data_completion_t = { rc, value, length, stat, data in
        guard let box = Completion<NodeData>.take(data) else { return }
        guard rc == ZOK.rawValue else { return box.fail(rc) }
        var bytes: [UInt8] = []
        if let value, length > 0 {
            bytes = Array(UnsafeRawBufferPointer(start: value, count: Int(length)))
        }
        box.continuation.resume(returning: NodeData(bytes: bytes, stat: NodeStat(stat)))
    }

    static let children: strings_stat_completion_t = { rc, strings, _, data in
        guard let box = Completion<[String]>.take(data) else { return }
        guard rc == ZOK.rawValue else { return box.fail(rc) }
        var names: [String] = []
        if let strings = strings?.pointee, let items = strings.data {
            names.reserveCapacity(Int(strings.count))
            for index in 0..<Int(strings.count) {
                if let item = items[index] { names.append(String(cString: item)) }
            }
        }
        box.continuation.resume(returning: names)
    }

    /// Delivers path watches; the context is the watch's id in ``WatchRegistry``.
    static let watch: watcher_fn = { _, type, state, path, context in
        let id = UInt(bitPattern: context)
        guard id != 0 else { return }
        if type == ZOO_SESSION_EVENT {
            // Session events reach every watcher; only the end of the session concerns one.
            if state == ZOO_EXPIRED_SESSION_STATE {
                WatchRegistry.complete(
                    id,
                    with: .failure(
                        ZooKeeperError(.sessionExpired, message: "the session expired before the watch fired")))
            }
            return
        }
        let kind: WatchEvent.Kind
        switch type {
        case ZOO_CREATED_EVENT: kind = .created
        case ZOO_DELETED_EVENT: kind = .deleted
        case ZOO_CHANGED_EVENT: kind = .dataChanged
        case ZOO_CHILD_EVENT: kind = .childrenChanged
        default:
            WatchRegistry.complete(
                id, with: .failure(ZooKeeperError(.apiError, message: "the server dropped the watch")))
            return
        }
        WatchRegistry.complete(id, with: .success(WatchEvent(kind: kind, path: path.map { String(cString: $0) } ?? "")))
    }
}
