import Hummingbird
import ReactorCore
import ReactorStore
import Testing

@testable import ReactorAPI

@Suite struct OpenAPITests {
    @Test func documentIsServedAndDescribesEveryRoute() async throws {
        try await withAPI { api in
            let reply = try await api.request(.get, "/openapi.json")
            #expect(reply.status == .ok)
            let document = try #require(reply.json?.objectValue, "the document is JSON")
            #expect(document["openapi"]?.stringValue?.hasPrefix("3.") == true)
            let paths = try #require(document["paths"]?.objectValue)
            let catalog = apiRouteCatalog(store: api.store)
            #expect(catalog.routes.count > 60, "expected every route in both versions, got \(catalog.routes.count)")
            for (pattern, methods) in catalog.routes {
                let openAPIPath = pattern.split(separator: "/", omittingEmptySubsequences: false)
                    .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                let operations = paths[openAPIPath]?.objectValue
                #expect(operations != nil, "\(openAPIPath) is not in the OpenAPI document")
                for method in methods {
                    #expect(operations?[method.lowercased()] != nil, "\(method) \(openAPIPath) is not documented")
                }
            }
            let documented = paths.values.reduce(0) { $0 + ($1.objectValue?.count ?? 0) }
            let served = catalog.routes.reduce(0) { $0 + $1.methods.count }
            #expect(
                documented == served, "the document describes \(documented) operations, the router serves \(served)")
        }
    }
}
