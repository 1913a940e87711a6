import Hummingbird
import ReactorCore
import ReactorStore
import ZooKeeper

/// The one place that maps errors to HTTP statuses and bodies.
///
/// Every error body is JSON with a readable `message`, except two the contract fixes: `401` answers
/// the plain text `unauthorized`, and configuration validation answers
/// `{"section": {"key": "message"}}`.
enum ErrorResponse {
    /// The status and body for `error`.
    static func response(for error: any Error) -> Response {
        switch error {
        case let error as APIError: response(for: error)
        case let error as StoreError: response(for: error)
        case let error as NodeNameError: JSONResponse.message(error.message, status: .badRequest)
        case let error as ZooKeeperError: response(for: error)
        case let error as any HTTPResponseError: response(for: error)
        default: JSONResponse.message("internal error: \(error)", status: .internalServerError)
        }
    }

    /// Whether `error` is a fault of the server or of ZooKeeper rather than of the request (logged
    /// louder).
    static func isServerFault(_ status: HTTPResponse.Status) -> Bool {
        status.code >= 500
    }

    private static func response(for error: APIError) -> Response {
        switch error {
        case .badRequest(let message): JSONResponse.message(message, status: .badRequest)
        case .invalidConfiguration(let errors): JSONResponse.json(errors.jsonValue, status: .badRequest)
        case .invalidFields(let errors): JSONResponse.json(errors.jsonValue, status: .badRequest)
        case .unauthorized: JSONResponse.unauthorized()
        case .unauthorizedBecause(let reason): JSONResponse.unauthorized(reason: reason)
        case .tooManyRequests(let message): JSONResponse.message(message, status: .tooManyRequests)
        case .forbidden(let message): JSONResponse.message(message, status: .forbidden)
        case .notFound(let message): JSONResponse.message(message, status: .notFound)
        case .conflict(let message): JSONResponse.message(message, status: .conflict)
        case .payloadTooLarge: JSONResponse.message(error.description, status: .contentTooLarge)
        case .preconditionFailed(let message): JSONResponse.message(message, status: .preconditionFailed)
        case .methodNotAllowed(_, let allowed):
            JSONResponse.message(
                error.description, status: .methodNotAllowed,
                headers: [.allow: allowed.joined(separator: ", ")])
        }
    }

    private static func response(for error: StoreError) -> Response {
        switch error {
        case .endpointNotFound, .noEndpointForIP, .managerConfigNotFound, .managerNotActive, .metadataKeyNotFound:
            JSONResponse.message(error.message, status: .notFound)
        case .nameTaken, .tooManyMetadataKeys:
            JSONResponse.message(error.message, status: .conflict)
        case .configurationChanged:
            JSONResponse.message(error.message, status: .preconditionFailed)
        }
    }

    private static func response(for error: ZooKeeperError) -> Response {
        switch error.code {
        case .dataTooLarge:
            JSONResponse.message("the data is too large to store: \(error.message)", status: .contentTooLarge)
        case .invalidPath:
            JSONResponse.message("invalid name: \(error.message)", status: .badRequest)
        case _
        where error.isRetriable || error.code == .sessionExpired || error.code == .closing
            || error.code == .clientClosed || error.code == .connectTimeout:
            JSONResponse.message("ZooKeeper is not available: \(error.message)", status: .serviceUnavailable)
        default:
            JSONResponse.message("ZooKeeper error: \(error)", status: .internalServerError)
        }
    }

    private static func response(for error: any HTTPResponseError) -> Response {
        let message =
            switch error.status {
            case .contentTooLarge: "request body is larger than \(RequestBodyReader.maximumBytes) bytes"
            case .notFound: "not found"
            default: error.status.reasonPhrase
            }
        return JSONResponse.message(message, status: error.status)
    }
}
