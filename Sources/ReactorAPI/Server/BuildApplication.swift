import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ReactorCore
import ReactorStore
import ZooKeeper

/// Builds the API application: connects to ZooKeeper, makes sure the base znodes exist and wires
/// every route. `reactor api` and the tests build the very same application through this function.
///
/// - Parameters:
///   - configuration: where ZooKeeper is and where to listen.
///   - onServerRunning: called once the server listens, with its local address (`host:port`);
///     default nothing.
/// - Returns: the application; run it with `runService()` (graceful shutdown on SIGTERM/SIGINT,
///   closing the ZooKeeper session last), as one service of a `ServiceGroup`, or test it with
///   HummingbirdTesting.
public func buildApplication(
    _ configuration: APIConfiguration, onServerRunning: @escaping @Sendable (String) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let client = try await ZooKeeperClient.connect(
        .init(
            connectString: configuration.zookeeper, sessionTimeout: configuration.sessionTimeout,
            connectTimeout: configuration.connectTimeout, logger: configuration.logger,
            authentication: configuration.zookeeperAuth))
    let cache =
        configuration.readCacheCapacity > 0
        ? WatchedNodeCache(client: client, capacity: configuration.readCacheCapacity) : nil
    let store = ReactorStore(client: client, limits: configuration.limits, cache: cache)
    let memo = cache == nil ? nil : ResponseMemo(client: client)
    let logger = configuration.logger
    let server: HTTPServerBuilder
    do {
        // Everything that may refuse the start is decided before anything is written: the key file,
        // open access, TLS, the ZooKeeper ACL; only then the base nodes and the admin key.
        try await store.checkAccess()
        let access = try await OpenAccessGuard.decide(configuration, store: store)
        server = try APITLS.server(
            .api(memo: memo, logger: logger, idleTimeout: configuration.idleTimeout), tls: configuration.tls)
        try await store.prepareLayout(acceptOpenACL: configuration.acceptOpenACL)
        try await OpenAccessGuard.apply(access, configuration, store: store)
    } catch {
        await client.close()
        throw error
    }
    let router = buildRouter(
        store: store, memo: memo, trustedProxies: configuration.trustedProxies,
        registrationRate: configuration.registrationRate, secureCookies: configuration.tls != nil)
    return Application(
        router: router,
        server: server,
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: APIServer.name),
        services: [ZooKeeperService(client: client, logger: logger)],
        onServerRunning: { channel in
            let address = channel.localAddress.map { "\($0.ipAddress ?? configuration.host):\($0.port ?? 0)" }
            await onServerRunning(address ?? "\(configuration.host):\(configuration.port)")
        },
        logger: logger)
}

/// What the API calls itself.
enum APIServer {
    /// The `Server` header of every answer.
    static let name = "reactor"
}

/// The router of the API over `store`, with request logging and error mapping around every route.
///
/// - Parameters:
///   - memo: where reusable routes keep their answers; default none.
///   - catalog: receives every route registered; default a fresh one.
///   - secureCookies: whether the dashboard's sign-in cookie is marked `Secure`; default false.
func buildRouter(
    store: ReactorStore, memo: ResponseMemo? = nil, catalog: RouteCatalog = RouteCatalog(),
    trustedProxies: [IPBlock] = IPBlock.localHost, registrationRate: RegistrationRate = RegistrationRate(),
    secureCookies: Bool = false
) -> Router<APIRequestContext> {
    let router = Router(context: APIRequestContext.self)
    let metrics = APIMetrics()
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
    router.add(middleware: ErrorMiddleware(catalog: catalog))
    router.add(middleware: DashboardMiddleware())
    let routes = APIRoutes(
        router: router, catalog: catalog,
        services: APIServices(
            store: store, access: AccessControl(store: store), memo: memo, trustedProxies: trustedProxies,
            registrations: SourceRateLimiter(registrationRate), secureCookies: secureCookies))
    RootRoutes.register(routes)
    GlobalRoutes.register(routes)
    SummaryRoutes.register(routes)
    RegistrationRoutes.register(routes)
    ManagerRoutes.register(routes)
    EndpointRoutes.register(routes)
    EndpointResourceRoutes.register(routes)
    ScalingRoutes.register(routes)
    SessionRoutes.register(routes)
    DashboardRoutes.register(routes)
    MetricsRoutes.register(routes, metrics: metrics)
    return router
}

/// Every route pattern of the API with its methods (for documentation checks and tests).
public func apiRouteCatalog(store: ReactorStore) -> RouteCatalog {
    let catalog = RouteCatalog()
    _ = buildRouter(store: store, catalog: catalog)
    return catalog
}
