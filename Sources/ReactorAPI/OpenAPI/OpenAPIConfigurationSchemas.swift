import ReactorCore

/// The sections and keys of endpoint and manager configurations (docs/configuration.md), as
/// schemas the dashboard builds its configuration forms from. A test checks they name exactly the
/// keys ReactorCore accepts.
enum OpenAPIConfigurationSchemas {
    static let all: [String: JSONValue] = [
        "EndpointConfiguration": [
            "type": "object",
            "description": .string(
                "An endpoint's configuration; [cloud:<driver>] and [loadbalancer:<driver>] sections hold "
                    + "driver settings"),
            "properties": [
                EndpointConfig.section: section(endpointKeys),
                ScalingConfig.section: section(scalingKeys),
            ],
            "additionalProperties": driverSection,
        ],
        "ManagerConfiguration": [
            "type": "object",
            "description": .string(
                "A manager's configuration; [cloud:<driver>] and [loadbalancer:<driver>] sections hold "
                    + "host settings"),
            "properties": [ManagerConfig.section: section(managerKeys)],
            "additionalProperties": driverSection,
        ],
    ]

    static let endpointKeys: [String: JSONValue] = [
        "url": string("What clients connect to: tcp://[host:]port, http(s)://host[:port][/path] or dns://name"),
        "port": integer("The port instances listen on (1…65535); default the URL's port", minimum: 1),
        "weight": ["type": "number", "minimum": 0, "default": 1, "description": "Share of traffic on a shared URL"],
        "cloud": choice(KnownDrivers.clouds, "The cloud driver that launches instances; none: static instances only"),
        "loadbalancer": choice(KnownDrivers.loadBalancers, "The balancer that serves url"),
        "static_instances": string("Comma-separated IPs that are always backends"),
        "metrics_source": string("Endpoint whose metrics drive this endpoint's scaling"),
        "instances_source": string("Endpoint whose instances this endpoint serves"),
        "redirect": string("http(s):// URL the balancer redirects to when there are no instances"),
        "error_marks": integer("Balancer error reports before an instance is errored", minimum: 0, default: 10),
        "unregistered_timeout": integer("Seconds a launched instance may take to register", minimum: 0, default: 600),
        "decommissioned_timeout": integer(
            "Seconds a decommissioned instance is kept before deletion", minimum: 0, default: 7200),
        "unknown_timeout": integer(
            "Seconds before an instance the cloud no longer lists is forgotten", minimum: 0, default: 600),
        "auth_hash": string("The endpoint's own key, hashed with auth_algo"),
        "auth_salt": string("Salt of auth_hash"),
        "auth_algo": choice(AuthAlgorithm.allCases.map(\.rawValue), "Hash of auth_hash; default sha1"),
    ]

    static let scalingKeys: [String: JSONValue] = [
        "min_instances": integer("Fewest instances to run", minimum: 0, default: 1),
        "max_instances": integer("Most instances to run, not below min_instances", minimum: 0, default: 1),
        "rules": string("Comma-separated rules, e.g. 2 <= active <= 8"),
        "ramp_limit": integer("Most launches or decommissions per loop round", minimum: 1, default: 5),
        "dry_run": ["type": "boolean", "default": false, "description": "Decide and log, but change nothing"],
    ]

    static let managerKeys: [String: JSONValue] = [
        "interval": ["type": "number", "default": 10, "description": "Seconds between loop rounds (> 0)"],
        "keys": integer("Ring keys the manager registers (1…1024)", minimum: 1, default: 64),
        "loadbalancers": string("Comma-separated balancer drivers to enable; default all"),
        "clouds": string("Comma-separated cloud drivers to enable; default all"),
    ]

    static let driverSection: JSONValue = [
        "type": "object", "description": "[cloud:<driver>] or [loadbalancer:<driver>]: the driver's own keys",
        "additionalProperties": ["oneOf": [["type": "string"], ["type": "number"], ["type": "boolean"]]],
    ]

    static func section(_ keys: [String: JSONValue]) -> JSONValue {
        ["type": "object", "additionalProperties": false, "properties": .object(keys)]
    }

    static func string(_ description: String) -> JSONValue {
        ["type": "string", "description": .string(description)]
    }

    static func integer(_ description: String, minimum: Int, default value: Int? = nil) -> JSONValue {
        var schema: [String: JSONValue] = [
            "type": "integer", "minimum": .number(Double(minimum)), "description": .string(description),
        ]
        if let value { schema["default"] = .number(Double(value)) }
        return .object(schema)
    }

    static func choice(_ names: [String], _ description: String) -> JSONValue {
        ["type": "string", "enum": .array(names.map(JSONValue.string)), "description": .string(description)]
    }
}
