import Synchronization

/// A call handed to the C library whose completion has not run yet.
protocol PendingCall: AnyObject, Sendable {
    /// Ends the call with `error` (the library will never complete it).
    func abandon(_ error: ZooKeeperError)
}

/// Calls the C library holds, by id: the `data` pointer the library passes back to a completion
/// is a small integer id, not an object.
///
/// Why: `zookeeper_close` does not complete every call it holds. It queues a `ZCLOSING` answer
/// for each sent request and then stops the completion thread, which leaves its loop as soon as
/// it sees the close flag; answers still queued then are freed without their callback ever
/// running. A continuation that only the library could resume then waited forever (the hang of
/// `callsInFlightWhenClosingFailCleanly`, about one close in twelve with 50 reads in flight).
/// So the client keeps each call here until its completion takes it, and once a handle has been
/// closed (the library's threads joined: no completion can run any more) it fails whatever is
/// left. Whoever removes an entry first resumes it; the other finds nothing.
enum CallRegistry {
    private static let table = Mutex(IDTable<any PendingCall>())

    /// Registers `call` of a client's session `generation`; returns the id to hand to the library.
    static func register(_ call: any PendingCall, client: UInt64, generation: UInt64) -> UInt {
        table.withLock { $0.insert(call, client: client, generation: generation) }
    }

    /// Takes the call `id` out of the registry, if it is still there.
    static func take(_ id: UInt) -> (any PendingCall)? {
        table.withLock { $0.remove(id) }
    }

    /// Fails every call of `client` still registered (of one session `generation`, or all when
    /// nil). Only for a handle the library has finished with: after `zookeeper_close` returned.
    static func abandonAll(client: UInt64, generation: UInt64? = nil, with error: ZooKeeperError) {
        let removed = table.withLock { $0.removeAll(client: client, generation: generation) }
        for call in removed { call.abandon(error) }
    }
}
