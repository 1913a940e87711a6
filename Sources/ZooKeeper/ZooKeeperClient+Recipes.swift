import CZooKeeper

#if canImport(Glibc)
import Glibc
#endif

extension ZooKeeperClient {
    /// Deletes a node and everything below it. A node that is already gone is not an error.
    ///
    /// Not atomic: a concurrent writer adding children can make it fail with `notEmpty`, in
    /// which case it tries again a few times.
    public func deleteRecursive(_ path: String) async throws {
        try ZNodePath.validate(path)
        for attempt in 1...5 {
            do {
                let names: [String]
                do {
                    names = try await children(path)
                } catch let error as ZooKeeperError where error.code == .noNode {
                    return
                }
                for name in names {
                    try await deleteRecursive(ZNodePath.join(path, name))
                }
                if path == "/" { return }
                try await delete(path)
                return
            } catch let error as ZooKeeperError where error.code == .noNode {
                return
            } catch let error as ZooKeeperError where error.code == .notEmpty && attempt < 5 {
                continue
            }
        }
    }

    /// Ends this client's session on the server as if it had timed out, for tests of expiry
    /// handling: a second connection takes over the session and closes it. Returns once this
    /// client has seen the expiry (``ConnectionState/expired``).
    ///
    /// The takeover can lose a race with this client's own reconnection (the server then keeps
    /// the session with whichever connection came last), so it is repeated until it takes.
    /// - Parameter timeout: how long to keep trying. Default 20 s.
    public func injectSessionExpiration(timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        let generation = core.generation
        while ContinuousClock.now < deadline {
            try await closeSessionFromAnotherConnection(deadline: deadline)
            let settle = ContinuousClock.now + .seconds(3)
            while ContinuousClock.now < min(settle, deadline) {
                if core.generation != generation || core.state == .expired { return }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        throw ZooKeeperError(.operationTimeout, message: "the session did not expire within \(timeout)")
    }

    private func closeSessionFromAnotherConnection(deadline: ContinuousClock.Instant) async throws {
        guard let credentials = try core.credentials(), credentials.client_id != 0 else {
            throw ZooKeeperError(.invalidState, message: "no session to expire yet")
        }
        let connectString = configuration.connectString
        let timeoutMilliseconds = configuration.sessionTimeoutMilliseconds
        let connected: Bool = await BlockingThread.value {
            var clientID = credentials
            guard
                let zh = zookeeper_init2(connectString, nil, timeoutMilliseconds, &clientID, nil, 0, libraryLogCallback)
            else {
                return false
            }
            while zoo_state(zh) != ZOO_CONNECTED_STATE && ContinuousClock.now < deadline {
                usleep(10_000)
            }
            let connected = zoo_state(zh) == ZOO_CONNECTED_STATE
            zookeeper_close(zh)
            return connected
        }
        if !connected {
            throw ZooKeeperError(.connectTimeout, message: "could not reach ZooKeeper to expire the session")
        }
    }
}
