#if canImport(Glibc)
import Glibc
#endif

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

/// Copies bytes between two sockets through one scratch buffer (read, then write what was read;
/// what the destination does not take is kept in the ``Flow`` and the source is not read again
/// until it drains).
///
/// A pump belongs to one ``ForwardingLoop`` and is used on its thread only.
struct BytePump {
    let scratch: UnsafeMutableRawPointer
    static let scratchSize = 64 * 1024
    /// Bytes one direction moves per turn before other connections get theirs.
    static let turnBudget = 256 * 1024

    /// Moves bytes from `source` to `destination` until one of them would block, the source ends,
    /// or the turn's budget is spent (`more` is then set). `moved` is set when a byte was read or
    /// written.
    ///
    /// Once the source has ended and everything is delivered, the destination's output is shut,
    /// unless the other direction has ended too (`reverseEnded`): then the connection is about to
    /// close, which ends the output just the same.
    ///
    /// - Returns: `false` when a socket failed and the connection must close.
    func pump(
        _ flow: inout Flow, from source: Int32, to destination: Int32, counters: BackendCounters?,
        reverseEnded: Bool, more: inout Bool, moved anything: inout Bool
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
                    anything = true
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
                anything = true
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
}

extension ForwardingLoop {
    /// One forwarding turn of `connection`: both directions pumped, then closed, queued for
    /// another turn or left for the next event as its state says.
    func serve(_ connection: Connection) {
        var more = false
        var moved = false
        let counters = connection.counters
        guard
            pump.pump(
                &connection.state.up, from: connection.client, to: connection.backend, counters: counters,
                reverseEnded: connection.state.down.sourceEnded, more: &more, moved: &moved),
            pump.pump(
                &connection.state.down, from: connection.backend, to: connection.client, counters: counters,
                reverseEnded: connection.state.up.sourceEnded, more: &more, moved: &moved)
        else {
            close(connection, because: "socket error")
            return
        }
        switch connection.state.turnEnded(moved: moved, more: more, at: loopTime) {
        case .close(let reason):
            close(connection, because: reason)
        case .again:
            if !connection.queuedAgain {
                connection.queuedAgain = true
                again.append(connection)
            }
        case .wait:
            break
        }
    }
}
