import CZooKeeper
import Logging
import ProcessSupport
import Synchronization

/// What the C library is given as the context of one handle: the client it belongs to and the
/// session generation it serves, so that late events of a replaced handle are recognised.
final class HandleContext: Sendable {
    let core: ClientCore
    let generation: UInt64

    init(core: ClientCore, generation: UInt64) {
        self.core = core
        self.generation = generation
    }
}

/// One C handle (one ZooKeeper session) and the context it was opened with.
struct Handle: @unchecked Sendable {
    // @unchecked: `zh` is only used while the owner's HandleLock is held (shared for calls,
    // exclusive for replacement and close), which the C library's own locking makes safe.
    let zh: OpaquePointer
    let context: Unmanaged<HandleContext>
    let generation: UInt64
}

/// The client's machinery: owns the current C handle, turns the library's session events into
/// ``ConnectionState`` changes, and opens a fresh session after expiry.
final class ClientCore: @unchecked Sendable {
    // @unchecked: `current`, `isClosed` and `isDead` are guarded by `handleLock`; everything
    // else mutable sits in the `session` Mutex. Lock order: handleLock, then session.

    struct SessionState {
        var generation: UInt64 = 0
        var state: ConnectionState = .connecting
        var established = false
        var nextToken: UInt64 = 0
        var subscribers: [UInt64: AsyncStream<ConnectionState>.Continuation] = [:]
        var connectWaiters: [UInt64: UnsafeContinuation<Void, any Error>] = [:]

        mutating func publish(_ newState: ConnectionState) {
            state = newState
            for subscriber in subscribers.values { subscriber.yield(newState) }
        }
    }

    private static let nextID = Atomic<UInt64>(1)
    static let cLogger = Logger(label: "reactor.zookeeper.c")

    let id: UInt64
    let configuration: ZooKeeperClient.Configuration
    var logger: Logger { configuration.logger }

    /// Calls handed to the library, by kind (for loop statistics and benchmarks).
    let reads = Atomic<Int>(0)
    let writes = Atomic<Int>(0)

    private let handleLock = HandleLock()
    private var current: Handle?
    private var isClosed = false
    private var isDead = false
    private let session = Mutex(SessionState())

    init(configuration: ZooKeeperClient.Configuration) throws(ZooKeeperError) {
        Self.configureLibrary
        self.id = Self.nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        self.configuration = configuration
        let handle = try openHandle(generation: 0)
        handleLock.withWriteLock { current = handle }
    }

    private static let configureLibrary: Void = {
        zoo_set_debug_level(ZOO_LOG_LEVEL_WARN)
    }()

    // MARK: Handles

    private func openHandle(generation: UInt64, clientID: clientid_t? = nil) throws(ZooKeeperError) -> Handle {
        let context = Unmanaged.passRetained(HandleContext(core: self, generation: generation))
        var clientID = clientID
        let zh: OpaquePointer? = withUnsafePointer(to: &clientID) { pointer in
            let idPointer: UnsafePointer<clientid_t>? =
                pointer.pointee == nil ? nil : UnsafeRawPointer(pointer).assumingMemoryBound(to: clientid_t.self)
            return zookeeper_init2(
                configuration.connectString, sessionWatcher, configuration.sessionTimeoutMilliseconds,
                idPointer, context.toOpaque(), 0, libraryLogCallback)
        }
        guard let zh else {
            context.release()
            throw ZooKeeperError(
                .badArguments,
                message: "cannot open a ZooKeeper connection to '\(configuration.connectString)' "
                    + "(check the host:port list and that the names resolve)")
        }
        if let credentials = configuration.authentication {
            // Queued before the session is up and sent again by the library on every reconnect.
            let certificate = Array(credentials.certificate.utf8)
            let result = certificate.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    zoo_add_auth(zh, "digest", chars.baseAddress, Int32(chars.count), nil, nil)
                }
            }
            if result != ZOK.rawValue {
                zookeeper_close(zh)
                context.release()
                throw ZooKeeperError(
                    .authFailed, message: "cannot hand the ZooKeeper credentials of \(credentials) to the client")
            }
        }
        return Handle(zh: zh, context: context, generation: generation)
    }

    /// Closes a handle on a thread of its own (`zookeeper_close` blocks until the library's
    /// threads have stopped and, when connected, the server has acknowledged the close), then
    /// fails with `error` every call of that handle the library dropped without completing.
    func close(_ handle: Handle, failingCallsWith error: ZooKeeperError) async {
        await BlockingThread.value {
            zookeeper_close(handle.zh)
            handle.context.release()
        }
        CallRegistry.abandonAll(client: id, generation: handle.generation, with: error)
    }

    /// Runs `body` with the live handle; the handle cannot be closed while `body` runs.
    func withHandle<T>(_ body: (OpaquePointer, UInt64) -> T) throws(ZooKeeperError) -> T {
        try handleLock.withReadLock { () throws(ZooKeeperError) -> T in
            guard let handle = current else {
                if isClosed { throw ZooKeeperError(.clientClosed, message: "the ZooKeeper client is closed") }
                throw ZooKeeperError(.sessionExpired, message: "the ZooKeeper session expired")
            }
            return body(handle.zh, handle.generation)
        }
    }

    // MARK: Session events (called on the C library's completion thread)

    func sessionEvent(generation: UInt64, state: Int32) {
        if state == ZOO_EXPIRED_SESSION_STATE {
            sessionExpired(generation: generation)
            return
        }
        session.withLock { session in
            guard session.generation == generation, session.state != .closed else { return }
            if state == ZOO_CONNECTED_STATE || state == ZOO_READONLY_STATE {
                if !session.established {
                    session.established = true
                    session.publish(.connected)
                    logger.info(
                        "ZooKeeper session established", metadata: ["zk.servers": "\(configuration.connectString)"])
                } else if session.state == .suspended {
                    session.publish(.reconnected)
                    logger.info("ZooKeeper connection restored; session survived")
                }
                for waiter in session.connectWaiters.values { waiter.resume() }
                session.connectWaiters.removeAll()
            } else if state == ZOO_CONNECTING_STATE || state == ZOO_ASSOCIATING_STATE || state == ZOO_NOTCONNECTED_STATE
            {
                if session.state == .connected || session.state == .reconnected {
                    session.publish(.suspended)
                    logger.warning("ZooKeeper connection lost; reconnecting")
                }
            } else if state == ZOO_AUTH_FAILED_STATE {
                logger.error("ZooKeeper authentication failed")
            }
        }
    }

    private func sessionExpired(generation: UInt64) {
        let (old, finished): (Handle?, [AsyncStream<ConnectionState>.Continuation]) = handleLock.withWriteLock {
            guard !isClosed, let handle = current, handle.generation == generation else { return (nil, []) }
            return session.withLock { session in
                session.publish(.expired)
                logger.warning("ZooKeeper session expired: ephemeral nodes and watches of this client are gone")
                guard configuration.reconnectAfterExpiry else {
                    current = nil
                    isDead = true
                    let subscribers = Array(session.subscribers.values)
                    session.subscribers.removeAll()
                    return (handle, subscribers)
                }
                do {
                    let next = try openHandle(generation: generation + 1)
                    current = next
                    session.generation = next.generation
                    session.established = false
                    session.state = .connecting
                } catch {
                    logger.error("cannot open a new ZooKeeper session: \(error)")
                    current = nil
                    isDead = true
                }
                return (handle, [])
            }
        }
        for subscriber in finished { subscriber.finish() }
        guard let old else { return }
        WatchRegistry.failAll(
            client: id, generation: generation,
            with: ZooKeeperError(.sessionExpired, message: "the session expired before the watch fired"))
        let expired = ZooKeeperError(.sessionExpired, message: "the ZooKeeper session expired")
        Task { await self.close(old, failingCallsWith: expired) }
    }

    // MARK: Observers

    var state: ConnectionState { session.withLock { $0.state } }

    /// Incremented each time the session is replaced after expiry.
    var generation: UInt64 { session.withLock { $0.generation } }

    func subscribe() -> AsyncStream<ConnectionState> {
        let (stream, continuation) = AsyncStream<ConnectionState>.makeStream(bufferingPolicy: .unbounded)
        let accepted: Bool = session.withLock { session in
            continuation.yield(session.state)
            guard session.state != .closed else { return false }
            let token = session.nextToken
            session.nextToken += 1
            session.subscribers[token] = continuation
            continuation.onTermination = { [weak self] _ in
                self?.session.withLock { _ = $0.subscribers.removeValue(forKey: token) }
            }
            return true
        }
        if !accepted { continuation.finish() }
        return stream
    }

    /// Waits until a session is established, failing after the configured connect timeout.
    func waitConnected() async throws {
        let timeout = configuration.connectTimeout
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.waitForSession() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw ZooKeeperError(
                    .connectTimeout,
                    message: "no ZooKeeper server at '\(self.configuration.connectString)' answered within \(timeout)")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func waitForSession() async throws {
        let token: UInt64 = session.withLock { session in
            session.nextToken += 1
            return session.nextToken
        }
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                let immediate: Result<Void, ZooKeeperError>? = session.withLock { session in
                    if Task.isCancelled { return .failure(ZooKeeperError(.connectTimeout, message: "cancelled")) }
                    switch session.state {
                    case .connected, .reconnected: return .success(())
                    case .closed:
                        return .failure(ZooKeeperError(.clientClosed, message: "the ZooKeeper client is closed"))
                    default:
                        session.connectWaiters[token] = continuation
                        return nil
                    }
                }
                if let immediate { continuation.resume(with: immediate.mapError { $0 as any Error }) }
            }
        } onCancel: {
            let waiter = session.withLock { $0.connectWaiters.removeValue(forKey: token) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    // MARK: Close

    func close() async {
        let handle: Handle?? = handleLock.withWriteLock {
            guard !isClosed else { return .none }
            isClosed = true
            defer { current = nil }
            return .some(current)
        }
        guard case .some(let handle) = handle else { return }
        let (subscribers, waiters) = session.withLock { session in
            session.publish(.closed)
            defer {
                session.subscribers.removeAll()
                session.connectWaiters.removeAll()
            }
            return (Array(session.subscribers.values), Array(session.connectWaiters.values))
        }
        for subscriber in subscribers { subscriber.finish() }
        let closed = ZooKeeperError(.clientClosed, message: "the ZooKeeper client is closed")
        for waiter in waiters { waiter.resume(throwing: closed) }
        WatchRegistry.failAll(client: id, with: closed)
        if let handle { await close(handle, failingCallsWith: closed) }
        logger.debug("ZooKeeper client closed")
    }

    /// The ACL of every node this client creates: the creator alone when it authenticates,
    /// else open to everyone.
    var createACL: UnsafeMutablePointer<ACL_vector> {
        configuration.authentication == nil ? reactor_zoo_open_acl_unsafe() : reactor_zoo_creator_all_acl()
    }

    // MARK: Diagnostics

    /// The session id of the live handle (0 before the first connection).
    func sessionID() throws(ZooKeeperError) -> Int64 {
        try withHandle { zh, _ in zoo_client_id(zh)?.pointee.client_id ?? 0 }
    }

    func credentials() throws(ZooKeeperError) -> clientid_t? {
        try withHandle { zh, _ in zoo_client_id(zh)?.pointee }
    }

    func connectedServer() throws(ZooKeeperError) -> String? {
        try withHandle { zh, _ in
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let found = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    zookeeper_get_connected_host(zh, $0, &length) != nil
                }
            }
            return found ? SocketAddress(storage)?.description : nil
        }
    }
}

/// Receives session events for every handle; `context` is the handle's ``HandleContext``.
private let sessionWatcher: watcher_fn = { _, type, state, _, context in
    guard let context, type == ZOO_SESSION_EVENT else { return }
    let handleContext = Unmanaged<HandleContext>.fromOpaque(context).takeUnretainedValue()
    handleContext.core.sessionEvent(generation: handleContext.generation, state: state)
}

/// The C library's own log lines, kept at debug level: the client logs the state changes
/// that matter (suspended, reconnected, expired) itself, in words.
let libraryLogCallback: log_callback_fn = { message in
    guard let message else { return }
    ClientCore.cLogger.debug("\(String(cString: message))")
}
