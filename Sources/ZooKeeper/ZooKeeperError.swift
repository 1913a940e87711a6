/// An error from ZooKeeper or from the client's own checks.
///
/// Server and C-library failures carry ZooKeeper's numeric `ZOO_*` code in ``Code/rawValue``;
/// failures the client detects itself (an invalid path, data too large, a closed client, a
/// connection that never came up) use codes outside ZooKeeper's range.
public struct ZooKeeperError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as ZooKeeper names it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// ZooKeeper's numeric code (`ZNONODE` is -101 …); client-side codes are positive.
        public let rawValue: Int32

        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let systemError = Code(rawValue: -1)
        public static let runtimeInconsistency = Code(rawValue: -2)
        public static let dataInconsistency = Code(rawValue: -3)
        public static let connectionLoss = Code(rawValue: -4)
        public static let marshallingError = Code(rawValue: -5)
        public static let unimplemented = Code(rawValue: -6)
        public static let operationTimeout = Code(rawValue: -7)
        public static let badArguments = Code(rawValue: -8)
        public static let invalidState = Code(rawValue: -9)
        public static let apiError = Code(rawValue: -100)
        public static let noNode = Code(rawValue: -101)
        public static let noAuth = Code(rawValue: -102)
        public static let badVersion = Code(rawValue: -103)
        public static let noChildrenForEphemerals = Code(rawValue: -108)
        public static let nodeExists = Code(rawValue: -110)
        public static let notEmpty = Code(rawValue: -111)
        public static let sessionExpired = Code(rawValue: -112)
        public static let invalidCallback = Code(rawValue: -113)
        public static let invalidACL = Code(rawValue: -114)
        public static let authFailed = Code(rawValue: -115)
        public static let closing = Code(rawValue: -116)
        public static let nothing = Code(rawValue: -117)
        public static let sessionMoved = Code(rawValue: -118)
        public static let notReadOnly = Code(rawValue: -119)
        public static let throttled = Code(rawValue: -127)

        /// The path is not a valid znode path (checked before anything is sent).
        public static let invalidPath = Code(rawValue: 1001)
        /// The data is larger than the server accepts (checked before anything is sent).
        public static let dataTooLarge = Code(rawValue: 1002)
        /// The client was closed.
        public static let clientClosed = Code(rawValue: 1003)
        /// No server of the ensemble could be reached within the connect timeout.
        public static let connectTimeout = Code(rawValue: 1004)

        public var description: String {
            switch self {
            case .systemError: "systemError"
            case .runtimeInconsistency: "runtimeInconsistency"
            case .dataInconsistency: "dataInconsistency"
            case .connectionLoss: "connectionLoss"
            case .marshallingError: "marshallingError"
            case .unimplemented: "unimplemented"
            case .operationTimeout: "operationTimeout"
            case .badArguments: "badArguments"
            case .invalidState: "invalidState"
            case .apiError: "apiError"
            case .noNode: "noNode"
            case .noAuth: "noAuth"
            case .badVersion: "badVersion"
            case .noChildrenForEphemerals: "noChildrenForEphemerals"
            case .nodeExists: "nodeExists"
            case .notEmpty: "notEmpty"
            case .sessionExpired: "sessionExpired"
            case .invalidCallback: "invalidCallback"
            case .invalidACL: "invalidACL"
            case .authFailed: "authFailed"
            case .closing: "closing"
            case .nothing: "nothing"
            case .sessionMoved: "sessionMoved"
            case .notReadOnly: "notReadOnly"
            case .throttled: "throttled"
            case .invalidPath: "invalidPath"
            case .dataTooLarge: "dataTooLarge"
            case .clientClosed: "clientClosed"
            case .connectTimeout: "connectTimeout"
            default: "code(\(rawValue))"
            }
        }
    }

    /// What went wrong.
    public let code: Code
    /// The znode path the operation was about, when there is one.
    public let path: String?
    /// A sentence an operator can act on.
    public let message: String
    /// For a failed ``ZooKeeperClient/multi(_:)`` batch: the position of the step the server
    /// rejected (nothing in the batch was applied).
    public let failedStep: Int?

    public init(_ code: Code, path: String? = nil, failedStep: Int? = nil, message: String) {
        self.code = code
        self.path = path
        self.failedStep = failedStep
        self.message = message
    }

    /// Whether repeating the same operation may succeed.
    ///
    /// Connection loss and timeouts are transient: the client reconnects by itself and the
    /// session usually survives. Session expiry is not retriable here: it is a state change the
    /// owner of the session must react to (its ephemeral nodes and watches are gone).
    public var isRetriable: Bool {
        switch code {
        case .connectionLoss, .operationTimeout, .throttled: true
        default: false
        }
    }

    public var description: String {
        if let path {
            return "ZooKeeper \(code) at \(path): \(message)"
        }
        return "ZooKeeper \(code): \(message)"
    }
}
