import Hummingbird
import ReactorCore

/// `GET /` (the API version) and `GET /openapi.json`.
enum RootRoutes {
    /// The API version `GET /` reports.
    static let apiVersion = "1.1"

    static func register(_ routes: APIRoutes) {
        routes.addUnversioned(.get, "/") { _, _ in
            JSONResponse.json(["version": .string(apiVersion)])
        }
        routes.addUnversioned(.get, "/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }
}
