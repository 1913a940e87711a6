import ReactorCore

/// What the API answers when a request cannot be served, independent of HTTP details;
/// ``ErrorResponse`` turns it (and every other error) into a response in one place.
public enum APIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 400: the request is malformed; the message says how.
    case badRequest(String)
    /// 400: a configuration failed validation; the body is `{"section": {"key": "message"}}`.
    case invalidConfiguration(ConfigErrors)
    /// 400: fields of a JSON body are wrong; the body is `{"message": ..., "errors": {field: message}}`.
    case invalidFields(FieldErrors)
    /// 401: a key is required and was missing or wrong.
    case unauthorized
    /// 401 for a reason the operator must know (the stored admin key is damaged, say); the body is
    /// `unauthorized: <reason>`.
    case unauthorizedBecause(String)
    /// 403: the caller is known but the request may not be served as sent; the message says why.
    case forbidden(String)
    /// 404: the thing addressed does not exist.
    case notFound(String)
    /// 405: the path exists but not with this method.
    case methodNotAllowed(method: String, allowed: [String])
    /// 409: the thing to create exists already.
    case conflict(String)
    /// 412: a precondition of the request (`If-Match`) does not hold.
    case preconditionFailed(String)
    /// 413: the body is larger than the API accepts.
    case payloadTooLarge(limit: Int)
    /// 429: the caller sent more than a limit allows; the message says which.
    case tooManyRequests(String)

    public var description: String {
        switch self {
        case .badRequest(let message), .forbidden(let message), .notFound(let message), .conflict(let message),
            .tooManyRequests(let message), .preconditionFailed(let message):
            message
        case .invalidConfiguration(let errors): "invalid configuration: \(errors)"
        case .invalidFields(let errors): errors.summary
        case .unauthorized: "unauthorized"
        case .unauthorizedBecause(let reason): "unauthorized: \(reason)"
        case .methodNotAllowed(let method, let allowed):
            "method \(method) is not allowed here; allowed: \(allowed.joined(separator: ", "))"
        case .payloadTooLarge(let limit): "request body is larger than \(limit) bytes"
        }
    }
}
