import Hummingbird
import ReactorStore

/// A route handler of the API.
typealias APIHandler = @Sendable (Request, APIRequestContext) async throws -> Response

/// What route handlers share: the store and the access rules.
struct APIServices: Sendable {
    let store: ReactorStore
    let access: AccessControl
}

/// Registers routes under every API version prefix that serves them and records them in the
/// ``RouteCatalog``.
struct APIRoutes {
    /// `/v1.1` is the current API; every route also answers under `/v1.0` (DESIGN.md §3).
    static let versionPrefixes = ["/v1.1", "/v1.0"]

    let router: Router<APIRequestContext>
    let catalog: RouteCatalog
    let services: APIServices

    /// Adds `handler` for `method` at `path` (relative to the version prefix) under every prefix.
    func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping APIHandler) {
        for prefix in Self.versionPrefixes {
            addUnversioned(method, prefix + path, handler)
        }
    }

    /// Adds `handler` at an absolute `path` (`/`, `/openapi.json`).
    func addUnversioned(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping APIHandler) {
        router.on(RouterPath(path), method: method) { request, context in
            try await handler(request, context)
        }
        catalog.add(path, method: method.rawValue)
    }
}
