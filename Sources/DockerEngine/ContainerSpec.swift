/// What `POST /containers/create` is given: the parts of the Engine API's container
/// configuration Reactor sets. Everything else keeps the engine's default.
public struct ContainerSpec: Sendable, Equatable, Encodable {
    public var image: String
    /// `Entrypoint`; nil keeps the image's.
    public var entrypoint: [String]?
    /// `Cmd`; nil keeps the image's.
    public var command: [String]?
    public var user: String?
    /// `Env`: `NAME=value` entries, the whole environment the container gets beyond its image's.
    public var environment: [String]
    public var labels: [String: String]
    public var hostname: String?
    /// `ExposedPorts`: `8080/tcp` …
    public var exposedPorts: [String]
    public var hostConfig: HostConfig

    /// `HostConfig`: how the engine runs the container on its host.
    public struct HostConfig: Sendable, Equatable, Encodable {
        /// `host`, `bridge` or a network's name.
        public var networkMode: String
        /// Memory limit in bytes; nil for none.
        public var memory: Int64?
        public var dns: [String]?
        /// `8080/tcp` → where it is published on the host (port "" or "0": the engine picks).
        public var portBindings: [String: [PortBinding]]

        public init(
            networkMode: String = "bridge", memory: Int64? = nil, dns: [String]? = nil,
            portBindings: [String: [PortBinding]] = [:]
        ) {
            self.networkMode = networkMode
            self.memory = memory
            self.dns = dns
            self.portBindings = portBindings
        }

        enum CodingKeys: String, CodingKey {
            case networkMode = "NetworkMode"
            case memory = "Memory"
            case dns = "Dns"
            case portBindings = "PortBindings"
        }
    }

    public struct PortBinding: Sendable, Equatable, Codable {
        public var hostIP: String
        public var hostPort: String

        public init(hostIP: String, hostPort: String) {
            self.hostIP = hostIP
            self.hostPort = hostPort
        }

        enum CodingKeys: String, CodingKey {
            case hostIP = "HostIp"
            case hostPort = "HostPort"
        }
    }

    public init(
        image: String, entrypoint: [String]? = nil, command: [String]? = nil, user: String? = nil,
        environment: [String] = [], labels: [String: String] = [:], hostname: String? = nil,
        exposedPorts: [String] = [], hostConfig: HostConfig = HostConfig()
    ) {
        self.image = image
        self.entrypoint = entrypoint
        self.command = command
        self.user = user
        self.environment = environment
        self.labels = labels
        self.hostname = hostname
        self.exposedPorts = exposedPorts
        self.hostConfig = hostConfig
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(image, forKey: .image)
        try container.encodeIfPresent(entrypoint, forKey: .entrypoint)
        try container.encodeIfPresent(command, forKey: .command)
        try container.encodeIfPresent(user, forKey: .user)
        try container.encode(environment, forKey: .environment)
        try container.encode(labels, forKey: .labels)
        try container.encodeIfPresent(hostname, forKey: .hostname)
        // The API wants `{"8080/tcp": {}}`.
        try container.encode(
            Dictionary(uniqueKeysWithValues: exposedPorts.map { ($0, [String: String]()) }), forKey: .exposedPorts)
        try container.encode(hostConfig, forKey: .hostConfig)
    }

    enum Keys: String, CodingKey {
        case image = "Image"
        case entrypoint = "Entrypoint"
        case command = "Cmd"
        case user = "User"
        case environment = "Env"
        case labels = "Labels"
        case hostname = "Hostname"
        case exposedPorts = "ExposedPorts"
        case hostConfig = "HostConfig"
    }
}
