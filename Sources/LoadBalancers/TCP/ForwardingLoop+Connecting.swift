import CLinux
import Logging
import ProcessSupport

#if canImport(Glibc)
import Glibc
#endif

/// Accepting, routing, connecting to backends and closing.
extension ForwardingLoop {
    func accept(on listener: Int32, url: String, id listenerID: Int) {
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
            let admission: TCPRouter.Admission
            switch router.admit(url) {
            case .admitted(let admitted):
                admission = admitted
            case .refused(let limit, let firstRefusal):
                // Closed at once rather than left in the backlog: the client learns now, and the
                // listener keeps accepting the connections of the others.
                if firstRefusal {
                    logger.warning(
                        "max_connections reached: closing new connections at once until some close",
                        metadata: ["lb.url": "\(url)", "lb.max_connections": "\(limit)"])
                }
                Glibc.close(fd)
                continue
            }
            Self.setNoDelay(fd)
            let connection = Connection(
                id: nextID, url: url, client: fd, clientAddress: address, admission: admission)
            nextID += 1
            connections[connection.id] = connection
            guard register(fd, tag: Self.tag(connection.id, .client), events: Self.streamEvents) else {
                close(connection, because: "cannot watch the client socket")
                continue
            }
            route(connection)
        }
    }

    func pauseListener(_ id: Int) {
        guard let listener = listeners[id] else { return }
        if epoll_ctl(epollFD, EPOLL_CTL_DEL, listener.fd, nil) != 0 {
            // Still watched: it wakes the loop again at once, which retries accepting (no harm
            // beyond the spin this pause meant to avoid).
            logger.warning(
                "cannot pause a listener",
                metadata: ["lb.url": "\(listener.url)", "error": "\(String(cString: strerror(errno)))"])
        }
        pausedListeners.append(id)
        listenersResume = Self.now() + 100_000_000
    }

    func resumeListeners() {
        for id in pausedListeners {
            if let listener = listeners[id],
                !register(listener.fd, tag: Self.tag(id, .listener), events: EPOLLIN.rawValue)
            {
                logger.error(
                    "cannot watch a listening socket again",
                    metadata: ["lb.url": "\(listener.url)", "error": "\(String(cString: strerror(errno)))"])
            }
        }
        pausedListeners = []
        listenersResume = .max
    }

    func route(_ connection: Connection) {
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
        connection.state.phase = .connecting
        let tag = Self.tag(connection.id, .backend, attempt: connection.attempt)
        guard register(fd, tag: tag, events: Self.streamEvents) else {
            connectFailed(connection, reason: "cannot watch the backend socket")
            return
        }
        connectDeadlines.append((Self.now() + connectTimeout, connection.id, connection.attempt))
    }

    func finishConnect(_ connection: Connection) {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(connection.backend, SOL_SOCKET, SO_ERROR, &error, &length) != 0 { error = errno }
        guard error == 0 else {
            connectFailed(connection, reason: String(cString: strerror(error)))
            return
        }
        connection.state.connected(at: loopTime)
        connection.counters?.connections.wrappingAdd(1, ordering: .relaxed)
        sessions.withLock {
            $0[connection.id] = SessionRecord(
                clientAddress: connection.clientAddress, backend: connection.backendAddress)
        }
        serve(connection)
    }

    /// The attempt failed: counted as an error of that backend, and the connection routed again
    /// without it.
    func connectFailed(_ connection: Connection, reason: String) {
        if connection.backend >= 0 {
            Glibc.close(connection.backend)
            connection.backend = -1
        }
        connection.state.connectFailed()
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

    /// Closes the forwarding connections that moved no byte for their `idle_timeout`.
    func closeIdle(at now: Int64) {
        for connection in Array(connections.values)
        where connection.state.isIdle(at: now, timeout: connection.idleTimeout) {
            logger.debug(
                "closing an idle connection",
                metadata: ["lb.url": "\(connection.url)", "lb.client": "\(connection.clientDescription)"])
            close(connection, because: "idle")
        }
    }

    func close(_ connection: Connection, because reason: String) {
        guard !connection.state.isClosed else { return }
        connection.state.isClosed = true
        connections[connection.id] = nil
        connection.load?.open.wrappingSubtract(1, ordering: .relaxed)
        switch connection.state.phase {
        case .held:
            unhold(connection)
        case .lingering:
            held.remove(connection.id)
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
}
