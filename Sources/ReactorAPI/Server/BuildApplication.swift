import Hummingbird
import Logging
import ReactorStore
import ZooKeeper

/// Builds the API application: connects to ZooKeeper, makes sure the base znodes exist and wires
/// every route. `reactor api` and the tests build the very same application through this function.
///
/// - Parameter configuration: where ZooKeeper is and where to listen.
/// - Returns: the application; run it with `runService()` (graceful shutdown on SIGTERM/SIGINT,
///   closing the ZooKeeper session last) or test it with HummingbirdTesting.
public func buildApplication(_ configuration: APIConfiguration) async throws -> some ApplicationProtocol {
    let client = try await ZooKeeperClient.connect(
        .init(
            connectString: configuration.zookeeper, sessionTimeout: configuration.sessionTimeout,
            connectTimeout: configuration.connectTimeout, logger: configuration.logger))
    let cache = configuration.readCacheCapacity > 0
        ? WatchedNodeCache(client: client, capacity: configuration.readCacheCapacity) : nil
    let store = ReactorStore(client: client, limits: configuration.limits, cache: cache)
    do {
        try await store.prepareLayout()
    } catch {
        await client.close()
        throw error
    }
    let router = buildRouter(store: store)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "reactor"),
        services: [ZooKeeperService(client: client, logger: configuration.logger)],
        logger: configuration.logger)
}

/// The router of the API over `store`, with request logging and error mapping around every route.
///
/// - Parameter catalog: receives every route registered; default a fresh one.
func buildRouter(store: ReactorStore, catalog: RouteCatalog = RouteCatalog()) -> Router<APIRequestContext> {
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ErrorMiddleware(catalog: catalog))
    let routes = APIRoutes(
        router: router, catalog: catalog, services: APIServices(store: store, access: AccessControl(store: store)))
    RootRoutes.register(routes)
    GlobalRoutes.register(routes)
    RegistrationRoutes.register(routes)
    ManagerRoutes.register(routes)
    EndpointRoutes.register(routes)
    EndpointResourceRoutes.register(routes)
    return router
}

/// Every route pattern of the API with its methods (for documentation checks and tests).
public func apiRouteCatalog(store: ReactorStore) -> RouteCatalog {
    let catalog = RouteCatalog()
    _ = buildRouter(store: store, catalog: catalog)
    return catalog
}
