import Hummingbird
import ReactorCore

/// `/auth_key`, `/url` and `/info`: installation-wide settings.
enum GlobalRoutes {
    /// The longest URL `POST /url` accepts.
    static let maximumURLLength = 2048

    static func register(_ routes: APIRoutes) {
        let services = routes.services
        routes.admin.add(.post, "/auth_key") { request, _ in
            let body = try await RequestBodyReader.object(of: request, describing: "the auth_key body")
            switch body["auth_key"] {
            case .string(let key): try await services.store.setAdminKey(key)
            case .null, nil: try await services.store.setAdminKey(nil)
            default: throw APIError.badRequest("auth_key must be a string (or null to remove the key)")
            }
            return JSONResponse.empty()
        }
        routes.admin.add(.get, "/url") { request, _ in
            return JSONResponse.json(["url": try await services.store.apiURL().map(JSONValue.string) ?? .null])
        }
        routes.admin.add(.post, "/url") { request, _ in
            let body = try await RequestBodyReader.object(of: request, describing: "the url body")
            switch body["url"] {
            case .string(let url) where url.isEmpty: try await services.store.setAPIURL(nil)
            case .string(let url):
                guard url.utf8.count <= maximumURLLength, let parsed = EndpointURL(url),
                    ["http", "https"].contains(parsed.scheme), !parsed.host.isEmpty
                else {
                    throw APIError.badRequest(
                        "url must be an http:// or https:// URL of at most \(maximumURLLength) bytes")
                }
                try await services.store.setAPIURL(url)
            case .null, nil: try await services.store.setAPIURL(nil)
            default: throw APIError.badRequest("url must be a string (or null to clear it)")
            }
            return JSONResponse.empty()
        }
        routes.admin.add(.get, "/info") { request, _ in
            return JSONResponse.json(try await services.store.globalInfo().jsonValue)
        }
    }
}
