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
/// are done or either socket fails, and a forwarding connection that moves no byte for its
/// `idle_timeout` is closed. Everything a connection owns is touched on its loop only; other
/// threads talk to a loop through ``post(_:)`` and read the session and held tables.
///
/// The parts: this file is the epoll loop; ``ConnectionState`` decides what each event does to a
/// connection, ``BytePump`` moves the bytes, ``HoldQueue`` keeps the held connections and
/// `ForwardingLoop+Connecting.swift` accepts, connects and closes.
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
    let router: TCPRouter
    let logger: Logger
    let connectTimeout: Int64
    let epollFD: Int32
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
    var connections: [Int: Connection] = [:]
    var listeners: [Int: (fd: Int32, url: String)] = [:]
    var nextID = 0
    var connectDeadlines: [(deadline: Int64, id: Int, attempt: Int)] = []
    private var connectDeadlineHead = 0
    /// Held and lingering connections.
    var held = HoldQueue()
    /// Connections whose turn ended with input left to read (edge-triggered: no new event comes).
    var again: [Connection] = []
    /// Listeners set aside after running out of descriptors, watched again at `listenersResume`.
    var pausedListeners: [Int] = []
    var listenersResume = Int64.max
    /// When forwarding connections are next checked for idleness.
    private var nextIdleCheck = Int64.max
    /// How often they are: an idle connection is closed within this much after its `idle_timeout`.
    private static let idleCheckInterval: Int64 = 250_000_000
    /// Monotonic ns when the current round of events began; the time of the bytes moved in it.
    private(set) var loopTime: Int64 = 0
    private var running = true
    let pump: BytePump

    enum Kind: UInt64 {
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
        self.connectTimeout = Self.nanoseconds(connectTimeout)
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        pump = BytePump(scratch: UnsafeMutableRawPointer.allocate(byteCount: BytePump.scratchSize, alignment: 16))
        // On failure deinit closes what was opened.
        guard epollFD >= 0, wakeFD >= 0, register(wakeFD, tag: Self.tag(0, .wake), events: EPOLLIN.rawValue) else {
            throw .cannotListen(url: "-", reason: "cannot create an event loop: \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        if epollFD >= 0 { Glibc.close(epollFD) }
        if wakeFD >= 0 { Glibc.close(wakeFD) }
        pump.scratch.deallocate()
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
            loopTime = Self.now()
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
                for connection in turn where !connection.state.isClosed {
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
            let action = connection.state.socketReady(
                fromClient: isClient, readable: events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0,
                writable: events & EPOLLOUT.rawValue != 0, failed: failed)
            switch action {
            case .none: break
            case .finishConnect: finishConnect(connection)
            case .serve: serve(connection)
            case .drainLingering: drainLingering(connection)
            case .close(let reason): close(connection, because: reason)
            }
        case nil:
            break
        }
    }

    private func waitTimeout() -> Int32 {
        var next = min(held.nextDeadline, listenersResume, nextIdleCheck)
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
            if let connection = connections[entry.id], case .connecting = connection.state.phase,
                connection.attempt == entry.attempt
            {
                connectFailed(connection, reason: "connect timed out")
            }
        }
        if connectDeadlineHead > 1024 && connectDeadlineHead * 2 > connectDeadlines.count {
            connectDeadlines.removeFirst(connectDeadlineHead)
            connectDeadlineHead = 0
        }
        if nextIdleCheck <= now {
            closeIdle(at: now)
        }
        // Checked only while there are connections, so that an unused loop sleeps.
        if connections.isEmpty {
            nextIdleCheck = .max
        } else if nextIdleCheck <= now || nextIdleCheck == .max {
            nextIdleCheck = now + Self.idleCheckInterval
        }
        expireHeld(at: now)
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
                    logger.error(
                        "cannot watch a listening socket",
                        metadata: ["lb.url": "\(url)", "error": "\(String(cString: strerror(errno)))"])
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

    // MARK: - Helpers

    static let streamEvents = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue

    /// What an epoll event carries: the connection (or listener) id, the connect attempt (backend
    /// sockets; 8 bits are enough to tell it from the previous one) and the kind of socket.
    static func tag(_ id: Int, _ kind: Kind, attempt: Int = 0) -> UInt64 {
        UInt64(id) << 10 | UInt64(attempt & 0xff) << 2 | kind.rawValue
    }

    func register(_ fd: Int32, tag: UInt64, events: UInt32) -> Bool {
        var event = epoll_event()
        event.events = events
        event.data.u64 = tag
        return epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0
    }

    static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        // Only latency is at stake: a socket that refuses still forwards every byte.
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Monotonic nanoseconds.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
