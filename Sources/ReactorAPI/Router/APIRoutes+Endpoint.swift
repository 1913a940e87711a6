import Hummingbird
import ReactorCore

extension APIRoutes {
    /// A route handler that receives the resolved, authorised endpoint.
    typealias EndpointHandler = @Sendable (Request, APIRequestContext, EndpointTarget) async throws -> Response

    /// Adds an endpoint resource route at `path` (the family's prefix included): the handler runs
    /// once ``EndpointTarget/resolve(_:request:context:services:)`` has found the endpoint and
    /// checked the caller's key.
    func addEndpointRoute(
        _ method: HTTPRequest.Method, _ path: String, resolution: EndpointTarget.Resolution,
        _ handler: @escaping EndpointHandler
    ) {
        let services = services
        add(method, path) { request, context in
            let target = try await EndpointTarget.resolve(
                resolution, request: request, context: context, services: services)
            return try await handler(request, context, target)
        }
    }
}
