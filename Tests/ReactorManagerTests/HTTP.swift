import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A minimal HTTP client for tests that talk to a running `reactor api`.
struct HTTP {
    let base: String

    struct Response {
        let status: Int
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
    }

    func request(_ method: String, _ path: String, json: Any? = nil) async throws -> Response {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.timeoutInterval = 10
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed])
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Response(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
    }

    func get(_ path: String) async throws -> Response { try await request("GET", path) }
    func post(_ path: String, _ json: Any? = nil) async throws -> Response {
        try await request("POST", path, json: json)
    }

    /// GET `path` and decode a JSON array of strings.
    func strings(_ path: String) async throws -> [String] {
        (try await get(path).json as? [String]) ?? []
    }
}
