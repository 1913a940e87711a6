import CLinux
import Logging
import ProcessSupport
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One thread of the ``TCPBalancer``: accepts on its own listening sockets (SO_REUSEPORT spreads new
/// connections over the loops), connects each client to the backend the ``TCPRouter`` picks and
/// copies bytes both ways, all on one edge-triggered epoll set.
///
/// ```
///  accept -> route --backend picked--> connecting --connected--> open (session) --both sides done--> closed
///              |                          |
///              |                          +--failed or timed out--> errors += 1, route again without it
///              +--no backend--> held (not read) --backends configured--> route
///                                  +--hold time passed--> 302 to the redirect URL, or close
/// ```
///
/// Each socket is added to the epoll set once and leaves it when closed. A direction reads only
/// while its destination takes the bytes: what a destination does not take is kept and the source
/// is not read again until it drains (backpressure). End of input on one side shuts the other
/// side's output once everything before it was delivered; a connection closes when both directions
/// are done or either socket fails. Everything a connection owns is touched on its loop only;
/// other threads talk to a loop through ``post(_:)`` and read the session and held tables.
///
/// `@unchecked Sendable`: the connection, listener and deadline tables are touched only on the
/// loop's own thread; other threads reach the loop only through `post(_:)` (its inbox is behind a
/// `Mutex`) and read `sessions` and `heldCounts`, which are `Mutex`es themselves.
final class ForwardingLoop: @unchecked Sendable {
    /// What other threads ask a loop to do.
    enum Command: Sendable {
        /// Accept on this listening socket (the loop owns it from now on).
        case listen(fd: Int32, url: String)
        /// Close the listening sockets of `url`.
        case stopListening(url: String)
        /// Services changed: held connections whose service has backends are routed, those whose
        /// service is gone are closed.
        case servicesChanged
        /// Close the session `id` (both sockets).
        case drop(id: Int)
        /// Close everything and end the thread.
        case stop
    }

    /// An open session, readable from any thread.
    struct SessionRecord: Sendable {
        let clientAddress: sockaddr_storage
        let backend: String

        /// `ip:port` of the client.
        var client: String { SocketAddress.describe(clientAddress) }
    }

    let index: Int
    private let router: TCPRouter
    private let logger: Logger
    private let connectTimeout: Int64
    private let epollFD: Int32
    private let wakeFD: Int32
    private let inbox = Mutex<Inbox>(Inbox())
    /// Open sessions by connection id.
    let sessions = Mutex<[Int: SessionRecord]>([:])
    /// Held connections per service URL.
    let heldCounts = Mutex<[String: Int]>([:])

    private struct Inbox {
        var commands: [(Command, CheckedContinuation<Void, Never>)] = []
        var stopped = false
    }

    // Loop-confined state.
    private var connections: [Int: Connection] = [:]
    private var listeners: [Int: (fd: Int32, url: String)] = [:]
    private var nextID = 0
    private var connectDeadlines: [(deadline: Int64, id: Int, attempt: Int)] = []
    private var connectDeadlineHead = 0
    /// Held and lingering connections, whose deadlines are scanned when the earliest one is due.
    private var waiting: [Int: Connection] = [:]
    private var nextWaitingDeadline = Int64.max
    /// Connections whose turn ended with input left to read (edge-triggered: no new event comes).
    private var again: [Connection] = []
    /// Listeners set aside after running out of descriptors, watched again at `listenersResume`.
    private var pausedListeners: [Int] = []
    private var listenersResume = Int64.max
    private var running = true
    private let scratch: UnsafeMutableRawPointer
    private static let scratchSize = 64 * 1024
    /// Bytes one direction moves per turn before other connections get theirs.
    private static let turnBudget = 256 * 1024

    private enum Kind: UInt64 {
        case client = 0
        case backend = 1
        case listener = 2
        case wake = 3
    }

    /// - Parameter connectTimeout: how long a backend may take to accept before another is tried.
    init(index: Int, router: TCPRouter, connectTimeout: Duration, logger: Logger) throws(TCPBalancerError) {
        self.index = index
        self.router = router
        self.logger = logger
        let (seconds, attoseconds) = connectTimeout.components
        self.connectTimeout = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        scratch = UnsafeMutableRawPointer.allocate(byteCount: Self.scratchSize, alignment: 16)
        // On failure deinit closes what was opened.
        guard epollFD >= 0, wakeFD >= 0, register(wakeFD, tag: Self.tag(0, .wake), events: EPOLLIN.rawValue) else {
            throw .cannotListen(url: "-", reason: "cannot create an event loop: \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        if epollFD >= 0 { Glibc.close(epollFD) }
        if wakeFD >= 0 { Glibc.close(wakeFD) }
        scratch.deallocate()
    }

    /// Starts the loop's thread.
    func start() throws(TCPBalancerError) {
        guard DetachedThread.start(name: "reactor-tcp-\(index)", { [self] in run() }) else {
            throw .cannotListen(url: "-", reason: "cannot start a thread for the tcp balancer")
        }
    }

    /// Hands `command` to the loop and returns once the loop has carried it out (at once when the
    /// loop has stopped).
    func post(_ command: Command) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let accepted = inbox.withLock { inbox in
                guard !inbox.stopped else { return false }
                inbox.commands.append((command, continuation))
                return true
            }
            if accepted {
                var one: UInt64 = 1
                _ = write(wakeFD, &one, 8)
            } else {
                if case .listen(let fd, _) = command { Glibc.close(fd) }
                continuation.resume()
            }
        }
    }

    // MARK: - The loop

    private func run() {
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while running {
            let count = epoll_wait(epollFD, events, Int32(capacity), again.isEmpty ? waitTimeout() : 0)
            if count < 0 && errno != EINTR {
                logger.error("epoll_wait failed", metadata: ["error": "\(String(cString: strerror(errno)))"])
                break
            }
            for index in 0..<max(0, Int(count)) {
                handle(events[index].events, tag: events[index].data.u64)
            }
            if !again.isEmpty {
                let turn = again
                again = []
                for connection in turn where !connection.isClosed {
                    connection.queuedAgain = false
                    serve(connection)
                }
            }
            expireDeadlines()
        }
        finish()
    }

    private func handle(_ events: UInt32, tag: UInt64) {
        let id = Int(tag >> 10)
        switch Kind(rawValue: tag & 3) {
        case .wake:
            var value: UInt64 = 0
            _ = read(wakeFD, &value, 8)
            runCommands()
        case .listener:
            if let listener = listeners[id] { accept(on: listener.fd, url: listener.url, id: id) }
        case .client, .backend:
            // An event can outlive its connection within one batch; ids are never reused.
            guard let connection = connections[id] else { return }
            let isClient = tag & 3 == Kind.client.rawValue
            // Likewise a backend socket of an earlier attempt.
            guard isClient || (tag >> 2) & 0xff == UInt64(connection.attempt & 0xff) else { return }
            let failed = events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
            let readable = failed || events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0
            let writable = failed || events & EPOLLOUT.rawValue != 0
            if isClient {
                if readable { connection.up.sourceReadable = true }
                if writable { connection.down.destinationWritable = true }
            } else {
                if readable { connection.down.sourceReadable = true }
                if writable { connection.up.destinationWritable = true }
            }
            switch connection.phase {
            case .held:
                if isClient && failed { close(connection, because: "client gone while held") }
            case .connecting:
                if !isClient && writable { finishConnect(connection) }
            case .open:
                serve(connection)
            case .lingering:
                if isClient && readable { drainLingering(connection) }
            case .routing:
                break
            }
        case nil:
            break
        }
    }

    private func waitTimeout() -> Int32 {
        var next = min(nextWaitingDeadline, listenersResume)
        if connectDeadlineHead < connectDeadlines.count {
            next = min(next, connectDeadlines[connectDeadlineHead].deadline)
        }
        guard next != .max else { return -1 }
        let milliseconds = (next - Self.now() + 999_999) / 1_000_000
        return Int32(max(0, min(milliseconds, 60_000)))
    }

    private func expireDeadlines() {
        let now = Self.now()
        if listenersResume <= now { resumeListeners() }
        while connectDeadlineHead < connectDeadlines.count, connectDeadlines[connectDeadlineHead].deadline <= now {
            let entry = connectDeadlines[connectDeadlineHead]
            connectDeadlineHead += 1
            if let connection = connections[entry.id], case .connecting = connection.phase,
                connection.attempt == entry.attempt
            {
                connectFailed(connection, reason: "connect timed out")
            }
        }
        if connectDeadlineHead > 1024 && connectDeadlineHead * 2 > connectDeadlines.count {
            connectDeadlines.removeFirst(connectDeadlineHead)
            connectDeadlineHead = 0
        }
        guard nextWaitingDeadline <= now else { return }
        nextWaitingDeadline = .max
        for connection in Array(waiting.values) {
            switch connection.phase {
            case .held(let deadline) where deadline <= now:
                holdExpired(connection)
            case .lingering(let deadline) where deadline <= now:
                close(connection, because: "redirected client did not close")
            case .held(let deadline), .lingering(let deadline):
                nextWaitingDeadline = min(nextWaitingDeadline, deadline)
            default:
                break
            }
        }
    }

    private func runCommands() {
        let commands = inbox.withLock { inbox in
            defer { inbox.commands = [] }
            return inbox.commands
        }
        for (command, continuation) in commands {
            switch command {
            case .listen(let fd, let url):
                let id = nextID
                nextID += 1
                listeners[id] = (fd, url)
                if !register(fd, tag: Self.tag(id, .listener), events: EPOLLIN.rawValue) {
                    logger.error("cannot watch a listening socket", metadata: ["lb.url": "\(url)"])
                }
            case .stopListening(let url):
                for (id, listener) in listeners where listener.url == url {
                    Glibc.close(listener.fd)
                    listeners[id] = nil
                }
            case .servicesChanged:
                rerouteHeld()
            case .drop(let id):
                if let connection = connections[id] { close(connection, because: "session dropped") }
            case .stop:
                running = false
                // Resumed once everything is closed (finish()).
                inbox.withLock { $0.commands.append((command, continuation)) }
                continue
            }
            continuation.resume()
        }
    }

    /// Closes every socket, marks the loop stopped and resumes whoever waits on it.
    private func finish() {
        for connection in Array(connections.values) {
            close(connection, because: "balancer stopped")
        }
        for listener in listeners.values {
            Glibc.close(listener.fd)
        }
        listeners = [:]
        let waiters = inbox.withLock { inbox in
            inbox.stopped = true
            defer { inbox.commands = [] }
            return inbox.commands
        }
        for (command, continuation) in waiters {
            if case .listen(let fd, _) = command { Glibc.close(fd) }
            continuation.resume()
        }
    }

    // MARK: - Accepting and routing

    private func accept(on listener: Int32, url: String, id listenerID: Int) {
        for _ in 0..<64 {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    reactor_accept4(listener, $0, &length, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue))
                }
            }
            guard fd >= 0 else {
                switch errno {
                case EAGAIN, EWOULDBLOCK: return
                case EINTR, ECONNABORTED: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors or memory: the waiting connections stay queued in the kernel.
                    // The listener is level-triggered, so it is set aside for a moment rather than
                    // woken again at once.
                    logger.error(
                        "accept failed: pausing this listener for 100 ms",
                        metadata: ["lb.url": "\(url)", "error": "\(String(cString: strerror(errno)))"])
                    pauseListener(listenerID)
                    return
                default:
                    logger.warning(
                        "accept failed", metadata: ["lb.url": "\(url)", "error": "\(String(cString: strerror(errno)))"])
                    return
                }
            }
            Self.setNoDelay(fd)
            let connection = Connection(id: nextID, url: url, client: fd, clientAddress: address)
            nextID += 1
            connections[connection.id] = connection
            guard register(fd, tag: Self.tag(connection.id, .client), events: Self.streamEvents) else {
                close(connection, because: "cannot watch the client socket")
                continue
            }
            route(connection)
        }
    }

    private func pauseListener(_ id: Int) {
        guard let listener = listeners[id] else { return }
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, listener.fd, nil)
        pausedListeners.append(id)
        listenersResume = Self.now() + 100_000_000
    }

    private func resumeListeners() {
        for id in pausedListeners {
            if let listener = listeners[id] {
                _ = register(listener.fd, tag: Self.tag(id, .listener), events: EPOLLIN.rawValue)
            }
        }
        pausedListeners = []
        listenersResume = .max
    }

    private func route(_ connection: Connection) {
        switch router.route(connection.url, tried: connection.tried) {
        case .connect(let backend, let address, let counters):
            connect(connection, to: backend, at: address, counters: counters)
        case .hold(let timeout):
            hold(connection, for: timeout)
        case .close:
            close(connection, because: "no backend")
        }
    }

    private func connect(
        _ connection: Connection, to backend: Backend, at address: SocketAddress, counters: BackendCounters
    ) {
        connection.counters = counters
        connection.backendAddress = backend.address
        connection.attempt += 1
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            connectFailed(connection, reason: String(cString: strerror(errno)))
            return
        }
        Self.setNoDelay(fd)
        connection.backend = fd
        let result = address.connect(fd)
        guard result == 0 || errno == EINPROGRESS else {
            connectFailed(connection, reason: String(cString: strerror(errno)))
            return
        }
        connection.phase = .connecting
        let tag = Self.tag(connection.id, .backend, attempt: connection.attempt)
        guard register(fd, tag: tag, events: Self.streamEvents) else {
            connectFailed(connection, reason: "cannot watch the backend socket")
            return
        }
        connectDeadlines.append((Self.now() + connectTimeout, connection.id, connection.attempt))
    }

    private func finishConnect(_ connection: Connection) {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(connection.backend, SOL_SOCKET, SO_ERROR, &error, &length) != 0 { error = errno }
        guard error == 0 else {
            connectFailed(connection, reason: String(cString: strerror(error)))
            return
        }
        connection.phase = .open
        connection.counters?.connections.wrappingAdd(1, ordering: .relaxed)
        sessions.withLock {
            $0[connection.id] = SessionRecord(
                clientAddress: connection.clientAddress, backend: connection.backendAddress)
        }
        serve(connection)
    }

    /// The attempt failed: counted as an error of that backend, and the connection routed again
    /// without it.
    private func connectFailed(_ connection: Connection, reason: String) {
        if connection.backend >= 0 {
            Glibc.close(connection.backend)
            connection.backend = -1
        }
        // What is known of the client stays (its request may be waiting); the backend side starts over.
        connection.up.destinationWritable = false
        connection.down.sourceReadable = false
        connection.phase = .routing
        if let counters = connection.counters {
            counters.active.wrappingSubtract(1, ordering: .relaxed)
            counters.errors.wrappingAdd(1, ordering: .relaxed)
        }
        connection.counters = nil
        logger.warning(
            "backend connect failed",
            metadata: [
                "lb.url": "\(connection.url)", "lb.backend": "\(connection.backendAddress)", "error": "\(reason)",
            ])
        connection.tried.insert(connection.backendAddress)
        route(connection)
    }

    // MARK: - Holding

    private func hold(_ connection: Connection, for timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        let deadline = Self.now() + seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        logger.debug(
            "holding client: no backend",
            metadata: ["lb.url": "\(connection.url)", "lb.client": "\(connection.clientDescription)"])
        connection.phase = .held(deadline: deadline)
        waiting[connection.id] = connection
        nextWaitingDeadline = min(nextWaitingDeadline, deadline)
        heldCounts.withLock { $0[connection.url, default: 0] += 1 }
    }

    /// Takes `connection` out of the held ones (it is routed, redirected or closed next).
    private func unhold(_ connection: Connection) {
        waiting[connection.id] = nil
        connection.phase = .routing
        heldCounts.withLock { counts in
            counts[connection.url, default: 1] -= 1
            if counts[connection.url] == 0 { counts[connection.url] = nil }
        }
    }

    private func rerouteHeld() {
        for connection in Array(waiting.values) {
            guard case .held = connection.phase else { continue }
            let outcome = router.holdOutcome(connection.url)
            if !outcome.served {
                close(connection, because: "service gone")
            } else if outcome.hasBackends {
                unhold(connection)
                route(connection)
            }
        }
    }

    private func holdExpired(_ connection: Connection) {
        let outcome = router.holdOutcome(connection.url)
        unhold(connection)
        guard outcome.served else {
            close(connection, because: "service gone")
            return
        }
        if outcome.hasBackends {
            route(connection)
        } else if let location = outcome.redirect {
            logger.debug(
                "hold time passed: redirecting",
                metadata: ["lb.url": "\(connection.url)", "lb.redirect": "\(location)"])
            redirect(connection, to: location)
        } else {
            close(connection, because: "hold time passed")
        }
    }

    /// Answers `302 Found` and half-closes; the request is read and discarded until the client
    /// closes (so that closing does not reset the connection and lose the answer), for at most 2 s.
    private func redirect(_ connection: Connection, to location: String) {
        let body = "Redirecting to \(location)\n"
        let answer = Array(
            ("HTTP/1.1 302 Found\r\nLocation: \(location)\r\nContent-Type: text/plain\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body).utf8)
        let sent = answer.withUnsafeBytes { send(connection.client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == answer.count else {
            close(connection, because: "client gone before the redirect")
            return
        }
        shutdown(connection.client, Int32(SHUT_WR))
        let deadline = Self.now() + 2_000_000_000
        connection.phase = .lingering(deadline: deadline)
        waiting[connection.id] = connection
        nextWaitingDeadline = min(nextWaitingDeadline, deadline)
        drainLingering(connection)
    }

    private func drainLingering(_ connection: Connection) {
        // A bounded turn: a client that keeps sending is closed by its deadline, not served forever.
        for _ in 0..<16 {
            let count = recv(connection.client, scratch, Self.scratchSize, 0)
            if count > 0 { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            if count < 0 && errno == EINTR { continue }
            close(connection, because: "redirected")
            return
        }
    }

    // MARK: - Forwarding

    private func serve(_ connection: Connection) {
        var more = false
        let counters = connection.counters
        guard
            pump(
                &connection.up, from: connection.client, to: connection.backend, counters: counters,
                reverseEnded: connection.down.sourceEnded, more: &more),
            pump(
                &connection.down, from: connection.backend, to: connection.client, counters: counters,
                reverseEnded: connection.up.sourceEnded, more: &more)
        else {
            close(connection, because: "socket error")
            return
        }
        if connection.up.isDone && connection.down.isDone {
            close(connection, because: "both sides done")
        } else if more && !connection.queuedAgain {
            connection.queuedAgain = true
            again.append(connection)
        }
    }

    /// Moves bytes from `source` to `destination` until one of them would block, the source ends,
    /// or the turn's budget is spent (`more` is then set).
    ///
    /// Once the source has ended and everything is delivered, the destination's output is shut,
    /// unless the other direction has ended too (`reverseEnded`): then the connection is about to
    /// close, which ends the output just the same.
    ///
    /// - Returns: `false` when a socket failed and the connection must close.
    private func pump(
        _ flow: inout Flow, from source: Int32, to destination: Int32, counters: BackendCounters?,
        reverseEnded: Bool, more: inout Bool
    ) -> Bool {
        var moved = 0
        while true {
            if flow.offset < flow.pending.count {
                guard flow.destinationWritable else { return true }
                let offset = flow.offset
                let sent = flow.pending.withUnsafeBytes { bytes in
                    send(destination, bytes.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
                }
                if sent > 0 {
                    flow.offset += sent
                    if flow.offset == flow.pending.count {
                        flow.pending = []
                        flow.offset = 0
                    }
                    continue
                }
                if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    flow.destinationWritable = false
                    return true
                }
                if sent < 0 && errno == EINTR { continue }
                return false
            }
            if flow.sourceEnded {
                if !flow.destinationShut {
                    flow.destinationShut = true
                    if !reverseEnded { shutdown(destination, Int32(SHUT_WR)) }
                }
                return true
            }
            guard flow.sourceReadable else { return true }
            guard moved < Self.turnBudget else {
                more = true
                return true
            }
            let count = recv(source, scratch, Self.scratchSize, 0)
            if count > 0 {
                moved += count
                counters?.bytes.wrappingAdd(count, ordering: .relaxed)
                var sent = 0
                if flow.destinationWritable {
                    sent = send(destination, scratch, count, Int32(MSG_NOSIGNAL))
                    if sent < 0 {
                        switch errno {
                        case EAGAIN, EWOULDBLOCK: flow.destinationWritable = false
                        case EINTR: break
                        default: return false
                        }
                        sent = 0
                    }
                }
                if sent < count {
                    flow.pending = Array(UnsafeRawBufferPointer(start: scratch + sent, count: count - sent))
                    flow.offset = 0
                }
                continue
            }
            if count == 0 {
                flow.sourceEnded = true
                continue
            }
            switch errno {
            case EAGAIN, EWOULDBLOCK:
                flow.sourceReadable = false
                return true
            case EINTR:
                continue
            default:
                return false
            }
        }
    }

    // MARK: - Closing

    private func close(_ connection: Connection, because reason: String) {
        guard !connection.isClosed else { return }
        connection.isClosed = true
        connections[connection.id] = nil
        switch connection.phase {
        case .held:
            unhold(connection)
        case .lingering:
            waiting[connection.id] = nil
        case .open:
            sessions.withLock { $0[connection.id] = nil }
            connection.counters?.active.wrappingSubtract(1, ordering: .relaxed)
        case .connecting:
            connection.counters?.active.wrappingSubtract(1, ordering: .relaxed)
        case .routing:
            break
        }
        logger.trace("closing", metadata: ["lb.url": "\(connection.url)", "lb.reason": "\(reason)"])
        if connection.backend >= 0 { Glibc.close(connection.backend) }
        Glibc.close(connection.client)
    }

    // MARK: - Helpers

    private static let streamEvents = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue

    /// What an epoll event carries: the connection (or listener) id, the connect attempt (backend
    /// sockets; 8 bits are enough to tell it from the previous one) and the kind of socket.
    private static func tag(_ id: Int, _ kind: Kind, attempt: Int = 0) -> UInt64 {
        UInt64(id) << 10 | UInt64(attempt & 0xff) << 2 | kind.rawValue
    }

    private func register(_ fd: Int32, tag: UInt64, events: UInt32) -> Bool {
        var event = epoll_event()
        event.events = events
        event.data.u64 = tag
        return epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0
    }

    private static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Monotonic nanoseconds.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}

/// One direction of a connection: client → backend (`up`) or backend → client (`down`).
struct Flow {
    /// The source may have bytes (edge-triggered: until a read would block).
    var sourceReadable = false
    /// The source sent its end of input.
    var sourceEnded = false
    /// The destination takes bytes (until a write would block).
    var destinationWritable = false
    /// The destination's output was shut after the source ended.
    var destinationShut = false
    /// Bytes read but not yet taken by the destination.
    var pending: [UInt8] = []
    var offset = 0

    var isDone: Bool { sourceEnded && destinationShut && offset >= pending.count }
}

/// A client connection and, once routed, its backend connection; owned by one loop.
final class Connection {
    enum Phase {
        /// Between decisions (just accepted, or after a failed attempt).
        case routing
        case connecting
        case open
        /// No backend: left unread until `deadline` (monotonic ns) or until backends appear.
        case held(deadline: Int64)
        /// Redirected: the answer is sent; the client's input is discarded until it closes.
        case lingering(deadline: Int64)
    }

    let id: Int
    let url: String
    let client: Int32
    let clientAddress: sockaddr_storage
    var backend: Int32 = -1
    var backendAddress = ""
    var counters: BackendCounters?
    var tried: Set<String> = []
    var attempt = 0
    var phase = Phase.routing
    var up = Flow()
    var down = Flow(destinationWritable: true)
    var isClosed = false
    var queuedAgain = false

    init(id: Int, url: String, client: Int32, clientAddress: sockaddr_storage) {
        self.id = id
        self.url = url
        self.client = client
        self.clientAddress = clientAddress
    }

    /// `ip:port` of the client, the form used in sessions.
    var clientDescription: String {
        SocketAddress.describe(clientAddress)
    }
}
