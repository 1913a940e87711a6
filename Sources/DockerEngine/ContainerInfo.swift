/// One container as `GET /containers/json` lists it.
public struct ContainerSummary: Sendable, Equatable, Decodable {
    public var id: String
    public var names: [String]
    /// `created`, `running`, `exited`, `dead` …
    public var state: String
    /// The engine's words: `Up 3 seconds`, `Exited (1) 2 seconds ago`.
    public var status: String
    public var labels: [String: String]

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case names = "Names"
        case state = "State"
        case status = "Status"
        case labels = "Labels"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        names = try container.decodeIfPresent([String].self, forKey: .names) ?? []
        state = try container.decodeIfPresent(String.self, forKey: .state) ?? ""
        status = try container.decodeIfPresent(String.self, forKey: .status) ?? ""
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
    }
}

/// What `GET /containers/{id}/json` says of a container (the parts Reactor reads).
public struct ContainerDetails: Sendable, Equatable, Decodable {
    public var id: String
    public var name: String
    public var state: State
    public var labels: [String: String]
    /// `Config.Env`: the container's whole environment.
    public var environment: [String]
    /// `8080/tcp` → where the engine published it on the host.
    public var ports: [String: [ContainerSpec.PortBinding]]
    /// Network name → the container's address on it.
    public var networkAddresses: [String: String]

    public struct State: Sendable, Equatable, Decodable {
        /// `created`, `running`, `exited` …
        public var status: String
        public var running: Bool
        public var exitCode: Int
        /// The engine's error when the container could not run (a missing executable).
        public var error: String

        enum CodingKeys: String, CodingKey {
            case status = "Status"
            case running = "Running"
            case exitCode = "ExitCode"
            case error = "Error"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try container.decodeIfPresent(String.self, forKey: .status) ?? ""
            running = try container.decodeIfPresent(Bool.self, forKey: .running) ?? false
            exitCode = try container.decodeIfPresent(Int.self, forKey: .exitCode) ?? 0
            error = try container.decodeIfPresent(String.self, forKey: .error) ?? ""
        }
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case name = "Name"
        case state = "State"
        case config = "Config"
        case networkSettings = "NetworkSettings"
    }

    struct Config: Decodable {
        var labels: [String: String]?
        var environment: [String]?
        enum CodingKeys: String, CodingKey {
            case labels = "Labels"
            case environment = "Env"
        }
    }

    struct NetworkSettings: Decodable {
        var ports: [String: [ContainerSpec.PortBinding]?]?
        var networks: [String: Network]?
        enum CodingKeys: String, CodingKey {
            case ports = "Ports"
            case networks = "Networks"
        }
    }

    struct Network: Decodable {
        var ipAddress: String?
        enum CodingKeys: String, CodingKey { case ipAddress = "IPAddress" }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        state = try container.decode(State.self, forKey: .state)
        let config = try container.decodeIfPresent(Config.self, forKey: .config)
        labels = config?.labels ?? [:]
        environment = config?.environment ?? []
        let network = try container.decodeIfPresent(NetworkSettings.self, forKey: .networkSettings)
        ports = (network?.ports ?? [:]).compactMapValues { $0 }
        networkAddresses = (network?.networks ?? [:]).compactMapValues { $0.ipAddress }
    }
}

/// `GET /version`: the engine's release and API version.
public struct EngineVersion: Sendable, Equatable, Decodable {
    public var version: String
    public var apiVersion: String

    enum CodingKeys: String, CodingKey {
        case version = "Version"
        case apiVersion = "ApiVersion"
    }
}
