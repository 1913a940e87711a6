import Hummingbird

/// Lets a request reach an admin route only with the admin key (or the dashboard's sign-in)
/// once one is set (``AccessControl/requireAdmin(_:)``): the middleware of the route group every
/// admin route is added to (``APIRoutes/admin``), so that no handler checks the key by hand.
struct AdminKeyMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let access: AccessControl

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try await access.requireAdmin(request)
        return try await next(request, context)
    }
}
