import Hummingbird
import Logging

/// Turns every error thrown below it into the API's error response (``ErrorResponse``), and the
/// router's "no route" into `405` when the path exists with other methods.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let catalog: RouteCatalog

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // Only the router throws HTTPError(.notFound); handlers throw APIError or StoreError.
            let allowed = catalog.allowedMethods(for: request.uri.path)
            if allowed.isEmpty {
                let path = PathParameters.printable(request.uri.path)
                return ErrorResponse.response(for: APIError.notFound("no route for \(request.method) \(path)"))
            }
            return ErrorResponse.response(
                for: APIError.methodNotAllowed(method: request.method.rawValue, allowed: allowed))
        } catch {
            let response = ErrorResponse.response(for: error)
            if ErrorResponse.isServerFault(response.status) {
                context.logger.error(
                    "request failed",
                    metadata: ["http.path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            }
            return response
        }
    }
}
