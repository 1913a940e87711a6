extension EndpointConfig {
    mutating func readEndpointSection(_ document: ConfigDocument, errors: inout ConfigErrors) {
        let reader = SectionReader(Self.section, in: document)
        let section = Self.section
        reader.rejectUnknownKeys(Self.keys, into: &errors)

        port = reader.integer("port", in: 1...65535, errors: &errors)
        weight = reader.number("weight", minimum: 0, errors: &errors) ?? weight
        errorMarks = reader.integer("error_marks", in: 0...Int.max, errors: &errors) ?? errorMarks
        unregisteredTimeout =
            reader.integer("unregistered_timeout", in: 0...Int.max, errors: &errors)
            ?? unregisteredTimeout
        decommissionedTimeout =
            reader.integer("decommissioned_timeout", in: 0...Int.max, errors: &errors)
            ?? decommissionedTimeout
        unknownTimeout = reader.integer("unknown_timeout", in: 0...Int.max, errors: &errors) ?? unknownTimeout
        auth = EndpointAuth(reader, errors: &errors)

        if let name = reader.string("cloud") {
            cloud = CloudDriverKind(rawValue: name)
            if cloud == nil {
                errors.add(KnownDrivers.unknownCloudMessage(name), section: section, key: "cloud")
            }
        }
        if let name = reader.string("template") {
            if name.count <= 64,
                name.unicodeScalars.allSatisfy({ $0.isASCIIAlphanumeric || "-_.".unicodeScalars.contains($0) })
            {
                template = name
            } else {
                errors.add(
                    "'\(name)' is not a template name (letters, digits, '-', '_' and '.', at most 64)",
                    section: section, key: "template")
            }
        }
        if let name = reader.string("loadbalancer") {
            loadBalancer = LoadBalancerDriverKind(rawValue: name)
            if loadBalancer == nil {
                errors.add(KnownDrivers.unknownLoadBalancerMessage(name), section: section, key: "loadbalancer")
            }
        }
        url = reader.string("url")
        checkURL(reader, errors: &errors)

        for item in reader.list("static_instances") ?? [] {
            if let address = IPAddress(item) {
                staticInstances.append(address)
            } else if Self.isHostName(item) {
                if !staticHosts.contains(item.lowercased()) { staticHosts.append(item.lowercased()) }
            } else {
                errors.add(
                    "'\(item)' is not an IPv4 or IPv6 address or a host name", section: section, key: "static_instances"
                )
            }
        }
        for key in ["metrics_source", "instances_source"] {
            guard let name = reader.string(key) else { continue }
            do {
                _ = try NodeName(name, kind: "endpoint name")
                if key == "metrics_source" { metricsSource = name } else { instancesSource = name }
            } catch {
                errors.add(error.message, section: section, key: key)
            }
        }
        redirect = reader.string("redirect")
        if let redirect, !ValueSyntax.hasControlCharacter(redirect) {
            if let problem = ValueSyntax.redirectProblem(redirect) {
                errors.add(problem, section: section, key: "redirect")
            } else if EndpointURL(redirect)?.isHTTP(allowingTLS: true) != true {
                errors.add("must be an http:// or https:// URL, got '\(redirect)'", section: section, key: "redirect")
            }
        }
    }

    /// A DNS host name: dot-separated labels of letters, digits and inner hyphens (at most 63
    /// each, 253 in all), not all digits (that would be an address out of form).
    public static func isHostName(_ text: String) -> Bool {
        let name = text.hasSuffix(".") ? String(text.dropLast()) : text
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard
            labels.allSatisfy({ label in
                (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                    && label.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "-" }
            })
        else { return false }
        return !labels.allSatisfy { $0.allSatisfy(\.isASCIIDigit) }
    }

    private func checkURL(_ reader: SectionReader, errors: inout ConfigErrors) {
        guard let url else {
            if let loadBalancer {
                errors.add(
                    "required by loadbalancer \(loadBalancer.rawValue) (\(loadBalancer.urlForms))",
                    section: reader.section, key: "url")
            }
            return
        }
        if ValueSyntax.hasControlCharacter(url) { return }
        if let path = EndpointURL(url)?.path, let problem = ValueSyntax.pathProblem(path) {
            errors.add(problem, section: reader.section, key: "url")
        } else if let loadBalancer {
            if let problem = EndpointURL.problem(with: url, for: loadBalancer) {
                errors.add(problem, section: reader.section, key: "url")
            }
        } else if EndpointURL(url) == nil {
            errors.add(
                "must look like scheme://[host][:port][/path], got '\(url)'",
                section: reader.section, key: "url")
        }
    }
}
