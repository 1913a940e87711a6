import Foundation
import Hummingbird
import ReactorCore

/// Reads request bodies with the API's size limit and turns them into JSON.
enum RequestBodyReader {
    /// Largest accepted body: 1 MiB, about what one znode can hold.
    static let maximumBytes = 1 << 20

    /// The whole body.
    /// - Parameter limit: the most bytes accepted; default ``maximumBytes``.
    /// - Throws: ``APIError/payloadTooLarge(limit:)`` past `limit`.
    static func bytes(of request: Request, limit: Int = maximumBytes) async throws -> Data {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw APIError.payloadTooLarge(limit: limit)
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError.payloadTooLarge(limit: limit)
        }
    }

    /// The body parsed as JSON.
    /// - Parameter limit: the most bytes accepted; default ``maximumBytes``.
    /// - Throws: ``APIError/badRequest(_:)`` for an empty body or text that is not JSON.
    static func json(of request: Request, limit: Int = maximumBytes) async throws -> JSONValue {
        let data = try await bytes(of: request, limit: limit)
        guard !data.isEmpty else { throw APIError.badRequest("request body is empty; expected JSON") }
        do {
            return try JSONValue(parsing: data)
        } catch let syntax as StrictJSONSyntax.Failure {
            throw APIError.badRequest("request body is not valid JSON: \(syntax)")
        } catch {
            throw APIError.badRequest("request body is not valid JSON")
        }
    }

    /// The body as a JSON object.
    static func object(of request: Request, describing what: String) async throws -> [String: JSONValue] {
        guard case .object(let members) = try await json(of: request) else {
            throw APIError.badRequest("\(what) must be a JSON object")
        }
        return members
    }
}
