import Hummingbird
import ReactorCore
import ReactorStore

/// A route handler of the API.
typealias APIHandler = @Sendable (Request, APIRequestContext) async throws -> Response

/// What route handlers share: the store, the access rules and the kept answers.
struct APIServices: Sendable {
    let store: ReactorStore
    let access: AccessControl
    /// Where reusable routes keep their answers; `nil` when the API runs without a read cache.
    var memo: ResponseMemo? = nil
    /// Whose `X-Forwarded-For` is believed (besides the managers' advertised addresses).
    var trustedProxies: [IPBlock] = IPBlock.localHost
    /// Bounds the keyless registrations each source address may queue.
    var registrations = SourceRateLimiter(RegistrationRate())
    /// Whether the sign-in cookie is marked `Secure` (the API serves HTTPS).
    var secureCookies = false
}

/// Registers routes under every API version prefix that serves them and records them in the
/// ``RouteCatalog``.
struct APIRoutes {
    /// `/v1.1` is the current API; every route also answers under `/v1.0` (docs/design.md#rest-api).
    static let versionPrefixes = ["/v1.1", "/v1.0"]

    /// Where this value's routes go: the router itself, or the admin group.
    private let methods: any RouterMethods<APIRequestContext>
    /// The group every admin route is added to, behind ``AdminKeyMiddleware``.
    private let adminGroup: RouterGroup<APIRequestContext>
    let catalog: RouteCatalog
    let services: APIServices

    /// - Parameters:
    ///   - router: receives every route; the admin routes through a group of its own.
    ///   - catalog: records every route.
    ///   - services: what the handlers share.
    init(router: Router<APIRequestContext>, catalog: RouteCatalog, services: APIServices) {
        // One group, one middleware: every admin route checks the key in the same place.
        let admin = router.group().add(middleware: AdminKeyMiddleware(access: services.access))
        self.init(methods: router, adminGroup: admin, catalog: catalog, services: services)
    }

    private init(
        methods: any RouterMethods<APIRequestContext>, adminGroup: RouterGroup<APIRequestContext>,
        catalog: RouteCatalog, services: APIServices
    ) {
        self.methods = methods
        self.adminGroup = adminGroup
        self.catalog = catalog
        self.services = services
    }

    /// The same registrations for routes that need the admin key (once one is set): their
    /// handlers run only for a request ``AccessControl/requireAdmin(_:)`` lets through.
    var admin: APIRoutes {
        APIRoutes(methods: adminGroup, adminGroup: adminGroup, catalog: catalog, services: services)
    }

    /// Adds `handler` for `method` at `path` (relative to the version prefix) under every prefix.
    func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping APIHandler) {
        for prefix in Self.versionPrefixes {
            addUnversioned(method, prefix + path, handler)
        }
    }

    /// Adds a `GET` route answering JSON whose `200` answers may be kept and given again while the
    /// znodes they were made from stay as they were (``ResponseMemo``).
    ///
    /// `handler` must read ZooKeeper only through the store (whose reads report to the request's
    /// ``NodeReadLog``), and its answer must depend on nothing but those reads and what
    /// ``ResponseMemo/Key`` holds.
    func addReusable(
        _ path: String, _ handler: @escaping @Sendable (Request, APIRequestContext) async throws -> JSONValue
    ) {
        let memo = services.memo
        add(.get, path) { request, context in
            let log = NodeReadLog()
            let value = try await log.record { try await handler(request, context) }
            let body = ByteBuffer(bytes: value.encoded())
            let fields: HTTPFields = [.contentType: "application/json"]
            if let memo {
                var head = HTTPResponse(status: .ok, headerFields: fields)
                head.headerFields[.contentLength] = "\(body.readableBytes)"
                head.headerFields[.server] = APIServer.name
                memo.keep(head, body: body, for: .init(request.head, peer: context.remoteAddress?.ipAddress), log: log)
            }
            return Response(status: .ok, headers: fields, body: .init(byteBuffer: body))
        }
    }

    /// Adds `handler` at an absolute `path` (`/`, `/openapi.json`).
    func addUnversioned(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping APIHandler) {
        methods.on(RouterPath(path), method: method) { request, context in
            try await handler(request, context)
        }
        catalog.add(path, method: method.rawValue)
    }
}
