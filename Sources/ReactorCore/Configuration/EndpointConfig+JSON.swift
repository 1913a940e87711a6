extension EndpointConfig {
    /// The canonical JSON stored in ZooKeeper: an object of sections with every setting written out
    /// (defaults included), numbers as JSON numbers, lists as comma-separated strings and rules in
    /// their canonical spelling. Unset optional settings are omitted.
    public var jsonValue: JSONValue {
        var endpoint: [String: JSONValue] = [
            "weight": .number(weight),
            "error_marks": .number(Double(errorMarks)),
            "unregistered_timeout": .number(Double(unregisteredTimeout)),
            "decommissioned_timeout": .number(Double(decommissionedTimeout)),
            "unknown_timeout": .number(Double(unknownTimeout)),
        ]
        endpoint["url"] = url.map(JSONValue.string)
        endpoint["port"] = port.map { .number(Double($0)) }
        endpoint["cloud"] = cloud.map { .string($0.rawValue) }
        endpoint["loadbalancer"] = loadBalancer.map { .string($0.rawValue) }
        if !staticInstances.isEmpty || !staticHosts.isEmpty {
            endpoint["static_instances"] = .string(
                (staticInstances.map(\.description) + staticHosts).joined(separator: ","))
        }
        endpoint["metrics_source"] = metricsSource.map(JSONValue.string)
        endpoint["instances_source"] = instancesSource.map(JSONValue.string)
        endpoint["redirect"] = redirect.map(JSONValue.string)
        endpoint["template"] = template.map(JSONValue.string)
        if let auth {
            endpoint["auth_hash"] = .string(auth.hash)
            endpoint["auth_algo"] = .string(auth.algorithm.rawValue)
            if !auth.salt.isEmpty { endpoint["auth_salt"] = .string(auth.salt) }
        }
        var sections = drivers.jsonSections
        sections[Self.section] = .object(endpoint)
        sections[ScalingConfig.section] = scaling.jsonSection
        return .object(sections)
    }
}
