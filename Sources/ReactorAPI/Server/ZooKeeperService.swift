import Logging
import ServiceLifecycle
import ZooKeeper

/// Keeps a ZooKeeper session for the life of its service group and closes it on graceful
/// shutdown, after the services started after it (the HTTP server, a manager) have stopped.
public struct ZooKeeperService: Service {
    let client: ZooKeeperClient
    let logger: Logger

    /// - Parameters:
    ///   - client: the session to close at shutdown.
    ///   - logger: says when it closes.
    public init(client: ZooKeeperClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            // Cancelled rather than shut down gracefully: the session is closed all the same.
        }
        logger.info("closing the ZooKeeper session")
        await client.close()
    }
}
