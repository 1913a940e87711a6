import ZooKeeper

/// A test hook: forcing session expiry (ZooKeeper itself has no call for it).
extension ZooKeeperClient {
    /// Ends this client's session on the server as if it had timed out, for tests of expiry
    /// handling: a second connection takes over the session and closes it. Returns once this
    /// client has seen the expiry (``ConnectionState/expired``).
    ///
    /// The takeover can lose a race with this client's own reconnection (the server then keeps
    /// the session with whichever connection came last), so it is repeated until it takes.
    /// - Parameter timeout: how long to keep trying. Default 20 s.
    public func injectSessionExpiration(timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        let generation = sessionGeneration
        while ContinuousClock.now < deadline {
            try await closeSessionFromAnotherConnection(deadline: deadline)
            let settle = ContinuousClock.now + .seconds(3)
            while ContinuousClock.now < min(settle, deadline) {
                if sessionGeneration != generation || state == .expired { return }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        throw ZooKeeperError(.operationTimeout, message: "the session did not expire within \(timeout)")
    }
}
