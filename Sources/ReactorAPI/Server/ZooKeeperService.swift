import Logging
import ServiceLifecycle
import ZooKeeper

/// Keeps the API's ZooKeeper session for the life of the service group and closes it on graceful
/// shutdown, after the HTTP server (started after it) has stopped.
struct ZooKeeperService: Service {
    let client: ZooKeeperClient
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("closing the ZooKeeper session")
        await client.close()
    }
}
