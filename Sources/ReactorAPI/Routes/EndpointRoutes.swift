import Hummingbird
import ReactorCore
import ReactorStore

/// `/endpoints` and `/endpoints/<name>`: listing, creating, configuring (also conditionally, see
/// ``ConditionalUpdate``), aliasing, renaming and deleting endpoints. Admin routes.
enum EndpointRoutes {
    static func register(_ routes: APIRoutes) {
        let services = routes.services
        let store = services.store
        routes.admin.add(.get, "/endpoints") { request, _ in
            return JSONResponse.strings(try await store.endpointNames())
        }
        // The ETag is the configuration node's version, for a later `If-Match`.
        routes.admin.add(.get, "/endpoints/:name") { request, context in
            let name = try endpointName(context)
            let (configuration, version) = try await store.versionedEndpointConfiguration(named: name)
            return JSONResponse.json(configuration, headers: [.eTag: ConditionalUpdate.eTag(version)])
        }
        // POST creates or updates (docs/design.md#rest-api); with If-Match it only updates that version.
        routes.admin.add(.post, "/endpoints/:name") { request, context in
            let name = try endpointName(context)
            let expected = try ConditionalUpdate.expectedVersion(request)
            let configuration = try await ConfigurationBody.endpoint(request)
            if let expected {
                let version = try await store.updateEndpoint(
                    named: name, configuration: configuration, ifVersion: expected)
                return Response(
                    status: .ok, headers: [.contentLength: "0", .eTag: ConditionalUpdate.eTag(version)])
            }
            try await store.createOrUpdateEndpoint(named: name, configuration: configuration)
            return JSONResponse.empty()
        }
        // PUT only creates: 409 when the name exists.
        routes.admin.add(.put, "/endpoints/:name") { request, context in
            let name = try endpointName(context)
            let configuration = try await ConfigurationBody.endpoint(request)
            try await store.createEndpoint(named: name, configuration: configuration)
            return JSONResponse.empty()
        }
        routes.admin.add(.delete, "/endpoints/:name") { request, context in
            try await store.deleteEndpoint(named: try endpointName(context))
            return JSONResponse.empty()
        }
        routes.admin.add(.post, "/endpoints/:name/alias") { request, context in
            let name = try endpointName(context)
            guard case .string(let text) = try await RequestBodyReader.json(of: request) else {
                throw APIError.badRequest("the alias must be a JSON string, e.g. \"new_name\"")
            }
            let alias = try NodeName(text, kind: "alias").rawValue
            try await store.addAlias(alias, to: name)
            return JSONResponse.empty()
        }
        // One atomic step: the new name exists exactly when the old one is gone.
        routes.admin.add(.post, "/endpoints/:name/rename") { request, context in
            let name = try endpointName(context)
            guard case .string(let text) = try await RequestBodyReader.json(of: request) else {
                throw APIError.badRequest("the new name must be a JSON string, e.g. \"new_name\"")
            }
            try await store.renameEndpoint(name, to: try NodeName(text, kind: "endpoint name").rawValue)
            return JSONResponse.empty()
        }
    }

    static func endpointName(_ context: APIRequestContext) throws -> String {
        try PathParameters.name("name", kind: "endpoint name", in: context)
    }
}
