import Logging
import NIOCore
import NIOPosix

/// The life of an accepted client connection:
///
/// ```
///  accept -> route --backend picked--> connect --ok--> glue (session, counters, autoRead on)
///              |                          |
///              |                          +--failed--> errors += 1, route again without it
///              +--no backend--> hold (not read) --backends configured--> route
///                                  +--hold time passed--> 302 to the redirect URL, or close
/// ```
extension TCPRouter {
    private enum Decision {
        case connect(Backend, BackendCounters)
        case hold(Duration)
        case close
    }

    /// Routes a newly accepted client connection; called on the client's event loop.
    func accept(_ client: any Channel, url: String) {
        route(client, url: url, tried: [])
    }

    private func route(_ client: any Channel, url: String, tried: Set<String>) {
        let decision: Decision = state.withLock { state in
            guard state.services[url] != nil else { return .close }
            let counters = state.counters
            // Picked in place: a copy of the service would copy its tables on every connection.
            let picked = state.services[url]?.picker.pick(excluding: tried) {
                counters[$0]?.active.load(ordering: .relaxed) ?? 0
            }
            if let picked, let backendCounters = counters[picked.address] {
                // Counted from the connect attempt so that least connections sees bursts.
                backendCounters.active.wrappingAdd(1, ordering: .relaxed)
                return .connect(picked, backendCounters)
            }
            guard state.services[url]?.picker.isEmpty == true else { return .close }  // every backend failed for this client
            state.services[url]?.held[ObjectIdentifier(client)] = client
            return .hold(state.services[url]?.holdTimeout ?? .zero)
        }
        logger.trace("routed", metadata: ["lb.url": "\(url)", "lb.decision": "\(decision)"])
        switch decision {
        case .connect(let backend, let counters):
            connect(client, url: url, to: backend, counters: counters, tried: tried)
        case .hold(let timeout):
            hold(client, url: url, timeout: timeout)
        case .close:
            logger.debug("closing client: no backend", metadata: ["lb.url": "\(url)"])
            client.close(promise: nil)
        }
    }

    private func connect(
        _ client: any Channel,
        url: String,
        to backend: Backend,
        counters: BackendCounters,
        tried: Set<String>
    ) {
        let address: SocketAddress
        do {
            address = try SocketAddress(ipAddress: backend.ip, port: backend.port)
        } catch {
            failed(client, url: url, backend: backend, counters: counters, tried: tried, error: error)
            return
        }
        ClientBootstrap(group: client.eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(GlueHandler(counters: counters))
                }
            }
            .connect(to: address)
            .whenComplete { result in
                switch result {
                case .success(let backendChannel):
                    self.glue(client, url: url, to: backendChannel, backend: backend.address, counters: counters)
                case .failure(let error):
                    self.failed(client, url: url, backend: backend, counters: counters, tried: tried, error: error)
                }
            }
    }

    private func failed(
        _ client: any Channel,
        url: String,
        backend: Backend,
        counters: BackendCounters,
        tried: Set<String>,
        error: any Error
    ) {
        counters.active.wrappingSubtract(1, ordering: .relaxed)
        counters.errors.wrappingAdd(1, ordering: .relaxed)
        logger.warning(
            "backend connect failed",
            metadata: ["lb.url": "\(url)", "lb.backend": "\(backend.address)", "error": "\(error)"]
        )
        route(client, url: url, tried: tried.union([backend.address]))
    }

    /// Joins the two channels; both are on the client's event loop, which is where this runs.
    ///
    /// A connect that completes once `url` is no longer served (its service removed, or the balancer shut
    /// down and every session closed) opens no session: both channels are closed.
    private func glue(
        _ client: any Channel,
        url: String,
        to backendChannel: any Channel,
        backend: String,
        counters: BackendCounters
    ) {
        let clientAddress = Self.describe(client.remoteAddress)
        let served = state.withLock { state in
            guard state.services[url] != nil else { return false }
            state.sessions[clientAddress] = Session(backend: backend, client: client, backendChannel: backendChannel)
            return true
        }
        guard served else {
            logger.debug("closing client: service gone", metadata: ["lb.url": "\(url)", "lb.backend": "\(backend)"])
            counters.active.wrappingSubtract(1, ordering: .relaxed)
            // Closed outside the lock: closing runs close callbacks (a held client's) that take it.
            client.close(promise: nil)
            backendChannel.close(promise: nil)
            return
        }
        logger.trace("glued", metadata: ["lb.client": "\(clientAddress)", "lb.backend": "\(backend)"])
        counters.connections.wrappingAdd(1, ordering: .relaxed)
        backendChannel.closeFuture.whenComplete { _ in
            counters.active.wrappingSubtract(1, ordering: .relaxed)
            self.state.withLock { state in
                if state.sessions[clientAddress]?.backendChannel === backendChannel {
                    state.sessions[clientAddress] = nil
                }
            }
        }
        do {
            let backendHandler = try backendChannel.pipeline.syncOperations.handler(type: GlueHandler.self)
            let clientHandler = GlueHandler(counters: counters)
            try client.pipeline.syncOperations.addHandler(clientHandler)
            GlueHandler.join(clientHandler, backendHandler)
            // The client was accepted with autoRead off; from here the glue pair decides when to read.
            try client.syncOptions?.setOption(.autoRead, value: true)
        } catch {
            logger.warning(
                "cannot glue client to backend", metadata: ["lb.backend": "\(backend)", "error": "\(error)"])
            client.close(promise: nil)
            backendChannel.close(promise: nil)
            return
        }
        if !client.isActive || !backendChannel.isActive {
            // One side closed before the glue was complete, so its channelInactive never reached the partner.
            client.close(promise: nil)
            backendChannel.close(promise: nil)
        }
    }

    private func hold(_ client: any Channel, url: String, timeout: Duration) {
        logger.debug(
            "holding client: no backend",
            metadata: ["lb.url": "\(url)", "lb.client": "\(Self.describe(client.remoteAddress))"]
        )
        client.closeFuture.whenComplete { _ in
            _ = self.takeHeld(client, url: url)
        }
        client.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            self.holdExpired(client, url: url)
        }
    }

    private func holdExpired(_ client: any Channel, url: String) {
        guard let redirect = takeHeld(client, url: url) else { return }  // already served or gone
        if let location = redirect {
            logger.debug("hold time passed: redirecting", metadata: ["lb.url": "\(url)", "lb.redirect": "\(location)"])
            do {
                try client.pipeline.syncOperations.addHandler(HoldRedirectHandler(location: location))
                try client.syncOptions?.setOption(.autoRead, value: true)
            } catch {
                client.close(promise: nil)
            }
        } else {
            logger.debug("hold time passed: closing", metadata: ["lb.url": "\(url)"])
            client.close(promise: nil)
        }
    }

    /// Removes `client` from its service's held connections.
    ///
    /// - Returns: `nil` when it was not held; otherwise the service's redirect URL, if any.
    private func takeHeld(_ client: any Channel, url: String) -> String?? {
        state.withLock { state in
            guard state.services[url]?.held.removeValue(forKey: ObjectIdentifier(client)) != nil else { return nil }
            return .some(state.services[url]?.redirect)
        }
    }
}
