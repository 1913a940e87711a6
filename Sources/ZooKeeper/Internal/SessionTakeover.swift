import CZooKeeper

#if canImport(Glibc)
import Glibc
#endif

extension ZooKeeperClient {
    /// How many times the session was replaced after expiry (for tests that wait for one).
    package var sessionGeneration: UInt64 { core.generation }

    /// Opens a second connection with this client's session id and password and closes it,
    /// which ends the session on the server (for `injectSessionExpiration` in ZooKeeperTesting).
    package func closeSessionFromAnotherConnection(deadline: ContinuousClock.Instant) async throws {
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
