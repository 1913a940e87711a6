import Hummingbird
import ReactorCore
import ReactorStore

/// `…/metadata` and `…/metadata/<key>`: an endpoint's free-form JSON values, under the explicit
/// `/endpoints/<name>` and the implicit `/endpoint` prefix (an instance reads and writes its own
/// endpoint's keys). Endpoint auth, like every endpoint resource.
enum MetadataRoutes {
    /// The largest value `POST …/metadata/<key>` accepts, in bytes of the request body.
    static let maximumValueBytes = 64 * 1024

    static func register(_ routes: APIRoutes, prefix: String, resolution: EndpointTarget.Resolution) {
        let store = routes.services.store
        func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping APIRoutes.EndpointHandler) {
            routes.addEndpointRoute(method, prefix + path, resolution: resolution, handler)
        }

        add(.get, "/metadata") { _, _, target in
            JSONResponse.strings(try await store.metadataKeys(id: target.id))
        }
        add(.get, "/metadata/:key") { _, context, target in
            let key = try metadataKey(context)
            return JSONResponse.json(try await store.metadata(id: target.id, name: target.name, key: key))
        }
        add(.post, "/metadata/:key") { request, context, target in
            let key = try metadataKey(context)
            let value = try await RequestBodyReader.json(of: request, limit: maximumValueBytes)
            try await store.setMetadata(value, id: target.id, name: target.name, key: key)
            return JSONResponse.empty()
        }
        add(.delete, "/metadata/:key") { _, context, target in
            let key = try metadataKey(context)
            try await store.deleteMetadata(id: target.id, name: target.name, key: key)
            return JSONResponse.empty()
        }
    }

    /// The `<key>` of the path: one znode name (``ReactorCore/NodeName``), so `..`, `/` (also
    /// percent-encoded), control characters and names past 255 bytes are a `400`.
    private static func metadataKey(_ context: APIRequestContext) throws -> String {
        try PathParameters.name("key", kind: "metadata key", in: context)
    }
}
