/// What went wrong talking to a Docker engine, in words an operator can act on. Errors the
/// engine answers carry its own message.
public enum DockerEngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The socket could not be connected to (no engine, no permission).
    case unreachable(socket: String, reason: String)
    /// No whole answer within the deadline.
    case timedOut(String, after: Duration)
    /// The engine closed the connection before answering.
    case connectionClosed
    /// The answer was longer than the client reads.
    case answerTooLarge(limit: Int)
    /// 404: no such container or image.
    case notFound(String)
    /// 409: a container of that name exists, or it is not in a state for the request.
    case conflict(String)
    /// Any other answer that is not a success: the HTTP status and the engine's message.
    case engine(status: Int, message: String)
    /// A success answer that is not the JSON the API describes.
    case unreadableAnswer(String)

    public var description: String {
        switch self {
        case .unreachable(let socket, let reason): "the Docker engine at \(socket) cannot be reached: \(reason)"
        case .timedOut(let operation, let after): "the Docker engine did not answer \(operation) within \(after)"
        case .connectionClosed: "the Docker engine closed the connection before answering"
        case .answerTooLarge(let limit): "the Docker engine's answer is longer than \(limit) bytes"
        case .notFound(let message): "not found: \(message)"
        case .conflict(let message): "conflict: \(message)"
        case .engine(let status, let message): "the Docker engine answered \(status): \(message)"
        case .unreadableAnswer(let detail): "the Docker engine's answer cannot be read: \(detail)"
        }
    }
}
