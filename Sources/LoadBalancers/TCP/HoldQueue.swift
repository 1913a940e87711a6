#if canImport(Glibc)
import Glibc
#endif

/// The connections of one loop that wait on a deadline: held ones (their endpoint has no
/// backend) and lingering ones (redirected, waiting for the client to close). Deadlines are
/// scanned only when the earliest one is due.
struct HoldQueue {
    private(set) var entries: [Int: Connection] = [:]
    /// The earliest deadline (monotonic ns), `.max` when none.
    private(set) var nextDeadline = Int64.max

    mutating func insert(_ connection: Connection, deadline: Int64) {
        entries[connection.id] = connection
        nextDeadline = min(nextDeadline, deadline)
    }

    mutating func remove(_ id: Int) {
        entries[id] = nil
    }

    /// The connections whose deadline passed at `now` (they stay queued: the caller takes each
    /// out); the next deadline becomes the earliest of the others.
    mutating func due(at now: Int64) -> [Connection] {
        guard nextDeadline <= now else { return [] }
        nextDeadline = .max
        var due: [Connection] = []
        for connection in entries.values {
            switch connection.state.phase {
            case .held(let deadline) where deadline <= now, .lingering(let deadline) where deadline <= now:
                due.append(connection)
            case .held(let deadline), .lingering(let deadline):
                nextDeadline = min(nextDeadline, deadline)
            default:
                break
            }
        }
        return due
    }
}

extension ForwardingLoop {
    func hold(_ connection: Connection, for timeout: Duration) {
        let deadline = Self.now() + Self.nanoseconds(timeout)
        logger.debug(
            "holding client: no backend",
            metadata: ["lb.url": "\(connection.url)", "lb.client": "\(connection.clientDescription)"])
        connection.state.phase = .held(deadline: deadline)
        held.insert(connection, deadline: deadline)
        heldCounts.withLock { $0[connection.url, default: 0] += 1 }
    }

    /// Takes `connection` out of the held ones (it is routed, redirected or closed next).
    func unhold(_ connection: Connection) {
        held.remove(connection.id)
        connection.state.phase = .routing
        heldCounts.withLock { counts in
            counts[connection.url, default: 1] -= 1
            if counts[connection.url] == 0 { counts[connection.url] = nil }
        }
    }

    func rerouteHeld() {
        for connection in Array(held.entries.values) {
            guard case .held = connection.state.phase else { continue }
            let outcome = router.holdOutcome(connection.url)
            if !outcome.served {
                close(connection, because: "service gone")
            } else if outcome.hasBackends {
                unhold(connection)
                route(connection)
            }
        }
    }

    func expireHeld(at now: Int64) {
        for connection in held.due(at: now) {
            switch connection.state.phase {
            case .held: holdExpired(connection)
            case .lingering: close(connection, because: "redirected client did not close")
            default: break
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
        connection.state.phase = .lingering(deadline: deadline)
        held.insert(connection, deadline: deadline)
        drainLingering(connection)
    }

    func drainLingering(_ connection: Connection) {
        // A bounded turn: a client that keeps sending is closed by its deadline, not served forever.
        for _ in 0..<16 {
            let count = recv(connection.client, pump.scratch, BytePump.scratchSize, 0)
            if count > 0 { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            if count < 0 && errno == EINTR { continue }
            close(connection, because: "redirected")
            return
        }
    }
}
