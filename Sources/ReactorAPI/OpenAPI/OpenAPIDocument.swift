import ReactorCore

/// The OpenAPI 3 description of the whole API, served at `GET /openapi.json`.
///
/// Written as a table of operations (``OpenAPIOperations``) expanded under every version prefix
/// and for both the explicit and implicit endpoint forms, so the variants cannot drift apart; a
/// test checks that every route the router serves is described.
enum OpenAPIDocument {
    /// The document as compact JSON text.
    static let json: String = document.jsonText

    static var document: JSONValue {
        var paths: [String: JSONValue] = [
            "/": ["get": OpenAPIOperations.operation("API version", ok: ref("Version"), errors: [], secured: false)],
            "/openapi.json": [
                "get": OpenAPIOperations.operation("This document", ok: ["type": "object"], errors: [], secured: false)
            ],
            "/metrics": [
                "get": OpenAPIOperations.textOperation(
                    "Prometheus metrics (docs/metrics.md); scrapers pass the admin key as auth_key",
                    contentType: "text/plain; version=0.0.4", errors: [401], secured: true)
            ],
            "/dashboard/{file}": [
                "get": OpenAPIOperations.textOperation(
                    "A static file of the web dashboard (browsers get the dashboard itself on / with Accept: text/html)",
                    contentType: "text/javascript", parameters: [OpenAPIOperations.path("file")], errors: [404],
                    secured: false)
            ],
        ]
        for prefix in APIRoutes.versionPrefixes {
            for (path, operations) in OpenAPIOperations.global {
                paths[prefix + path] = .object(operations)
            }
            for (path, operations) in OpenAPIOperations.endpointResources(explicit: true) {
                paths[prefix + "/endpoints/{name}" + path] = .object(operations)
            }
            for (path, operations) in OpenAPIOperations.endpointResources(explicit: false) {
                paths[prefix + "/endpoint" + path] = .object(operations)
            }
        }
        return [
            "openapi": "3.0.3",
            "info": [
                "title": "Reactor API",
                "version": .string(RootRoutes.apiVersion),
                "description": .string(
                    "Autoscaling endpoints backed by ZooKeeper. Every /v1.1 route also answers under /v1.0. "
                        + "Implicit /endpoint routes act on the endpoint owning the caller's confirmed IP."),
            ],
            "paths": .object(paths),
            "components": ["schemas": OpenAPISchemas.all, "securitySchemes": OpenAPISchemas.securitySchemes],
        ]
    }

    static func ref(_ name: String) -> JSONValue {
        ["$ref": .string("#/components/schemas/\(name)")]
    }
}
