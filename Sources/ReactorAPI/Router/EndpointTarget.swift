import Hummingbird
import ReactorCore
import ReactorStore

/// The endpoint a request acts on, once found and authorised.
struct EndpointTarget: Sendable {
    /// The endpoint's uuid (its data node).
    let id: String
    /// How to name it in messages: the name used in the path, or `the endpoint of <ip>`.
    let name: String
    /// The caller's address, for implicit routes.
    let caller: IPAddress?

    /// How a route family finds its endpoint.
    enum Resolution: Sendable {
        /// `/endpoints/<name>/...`: the name in the path.
        case explicit
        /// `/endpoint/...`: the endpoint that owns the caller's confirmed IP.
        case implicit
    }

    /// Finds the endpoint for `request` and checks the caller may act on it.
    ///
    /// - Throws: `400` for an invalid name, `404` for an unknown endpoint or an IP no endpoint has
    ///   confirmed, `401` without the right key.
    static func resolve(
        _ resolution: Resolution, request: Request, context: APIRequestContext, services: APIServices
    ) async throws -> EndpointTarget {
        let target: EndpointTarget
        switch resolution {
        case .explicit:
            let name = try PathParameters.name("name", kind: "endpoint name", in: context)
            target = EndpointTarget(id: try await services.store.endpointID(named: name), name: name, caller: nil)
        case .implicit:
            let caller = try await CallerAddress.resolve(request, context: context, services: services)
            let id = try await services.store.endpointID(forConfirmedIP: caller.description)
            target = EndpointTarget(id: id, name: "the endpoint of \(caller)", caller: caller)
        }
        try await services.access.requireEndpoint(request, target: target)
        return target
    }
}
