import ProcessSupport

#if canImport(Glibc)
import Glibc
#endif

/// Where a connection of the tcp balancer is in its life, and what the ``ForwardingLoop`` does
/// next: the loop feeds it events (socket readiness, the end of a forwarding turn, the clock) and
/// carries out the action it answers. It touches no socket, so its rules are tested without any.
///
/// ```
///  routing --backend picked--> connecting --connected--> forwarding --one side ended--> half-closed
///    |  ^                         |                                                        |
///    |  +--failed or timed out----+                                         both sides done or a socket failed
///    +--no backend--> held --backends configured--> routing                                |
///                       +--hold time passed--> lingering (302 sent) --client closed, 2 s--> closing
/// ```
struct ConnectionState {
    enum Phase: Equatable {
        /// Between decisions (just accepted, or after a failed attempt).
        case routing
        case connecting
        /// Connected to its backend: bytes go both ways.
        case open
        /// No backend: left unread until `deadline` (monotonic ns) or until backends appear.
        case held(deadline: Int64)
        /// Redirected: the answer is sent; the client's input is discarded until it closes.
        case lingering(deadline: Int64)
    }

    /// The phase as an operator would name it.
    enum Stage: Equatable {
        case routing, held, connecting, forwarding, halfClosed, lingering, closing
    }

    /// What the loop does after a socket event.
    enum Action: Equatable {
        case none
        /// The backend socket is writable while connecting: read its result.
        case finishConnect
        /// Move bytes (``BytePump``).
        case serve
        /// Read and discard what a redirected client still sends.
        case drainLingering
        case close(reason: String)
    }

    /// What the loop does after a forwarding turn.
    enum TurnOutcome: Equatable {
        /// Nothing until the next socket event.
        case wait
        /// Input is left to read (edge-triggered: no new event comes), so serve again next round.
        case again
        case close(reason: String)
    }

    var phase = Phase.routing
    /// Client → backend.
    var up = Flow()
    /// Backend → client; the client socket is writable once accepted.
    var down = Flow(destinationWritable: true)
    var isClosed = false
    /// When a byte last moved either way (monotonic ns); counted from the connect.
    var lastActivity: Int64 = 0

    var stage: Stage {
        if isClosed { return .closing }
        switch phase {
        case .routing: return .routing
        case .held: return .held
        case .connecting: return .connecting
        case .lingering: return .lingering
        case .open: return up.sourceEnded || down.sourceEnded ? .halfClosed : .forwarding
        }
    }

    /// A readiness event on the client socket (`fromClient`) or on the backend socket of the
    /// current attempt. Readiness is recorded whatever the phase, so that what the client sent
    /// while held or connecting is read once forwarding starts.
    mutating func socketReady(fromClient: Bool, readable: Bool, writable: Bool, failed: Bool) -> Action {
        let readable = readable || failed
        let writable = writable || failed
        if fromClient {
            if readable { up.sourceReadable = true }
            if writable { down.destinationWritable = true }
        } else {
            if readable { down.sourceReadable = true }
            if writable { up.destinationWritable = true }
        }
        switch phase {
        case .held:
            return fromClient && failed ? .close(reason: "client gone while held") : .none
        case .connecting:
            return !fromClient && writable ? .finishConnect : .none
        case .open:
            return .serve
        case .lingering:
            return fromClient && readable ? .drainLingering : .none
        case .routing:
            return .none
        }
    }

    /// The backend connected at `now`.
    mutating func connected(at now: Int64) {
        phase = .open
        lastActivity = now
    }

    /// The connect attempt failed: what is known of the client stays (its request may be waiting);
    /// the backend side starts over.
    mutating func connectFailed() {
        up.destinationWritable = false
        down.sourceReadable = false
        phase = .routing
    }

    /// After a forwarding turn in which bytes moved (`moved`) at `now` and input was left
    /// unread (`more`).
    mutating func turnEnded(moved: Bool, more: Bool, at now: Int64) -> TurnOutcome {
        if moved { lastActivity = now }
        if up.isDone && down.isDone { return .close(reason: "both sides done") }
        return more ? .again : .wait
    }

    /// Whether a forwarding connection has moved no byte for `timeout` ns (0: never idle).
    func isIdle(at now: Int64, timeout: Int64) -> Bool {
        guard timeout > 0, !isClosed, case .open = phase else { return false }
        return now - lastActivity >= timeout
    }
}

/// A client connection and, once routed, its backend connection; owned by one loop.
final class Connection {
    let id: Int
    let url: String
    let client: Int32
    let clientAddress: sockaddr_storage
    /// Closed for idleness after this many ns without a byte either way (0: never).
    let idleTimeout: Int64
    /// The count of open connections of the URL this one belongs to (`max_connections`).
    let load: ServiceLoad?
    var backend: Int32 = -1
    var backendAddress = ""
    var counters: BackendCounters?
    var tried: Set<String> = []
    var attempt = 0
    var state = ConnectionState()
    var queuedAgain = false

    init(id: Int, url: String, client: Int32, clientAddress: sockaddr_storage, admission: TCPRouter.Admission) {
        self.id = id
        self.url = url
        self.client = client
        self.clientAddress = clientAddress
        self.idleTimeout = admission.idleTimeout
        self.load = admission.load
    }

    /// `ip:port` of the client, the form used in sessions.
    var clientDescription: String {
        SocketAddress.describe(clientAddress)
    }
}
