import ReactorCore

/// What `reactor endpoints` shows in its PROBLEM column: why an endpoint is not doing what its
/// state says, from what the API shows of it.
enum EndpointProblem {
    /// What the running managers offer, read once for the whole list.
    struct Offers {
        var clouds: Set<String> = []
        var loadBalancers: Set<String> = []
        var managers = 0

        static func read(_ api: APIClient) async throws -> Offers {
            var offers = Offers()
            let ids = try await api.get(APIClient.path("managers", "active")).arrayValue ?? []
            for id in ids.compactMap(\.stringValue) {
                guard let info = try await manager(id, api) else { continue }
                offers.managers += 1
                offers.clouds.formUnion(info.objectValue?["clouds"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                offers.loadBalancers.formUnion(
                    info.objectValue?["loadbalancers"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            }
            return offers
        }

        /// What the manager registered, or `nil` when it stopped since the list was read.
        private static func manager(_ id: String, _ api: APIClient) async throws -> JSONValue? {
            do {
                return try await api.get(APIClient.path("managers", "active", id))
            } catch ClientError.api(status: 404, _) {
                return nil
            }
        }
    }

    /// The problem of one endpoint, or `-`.
    ///
    /// - Parameters:
    ///   - configuration: `GET /v1.1/endpoints/<name>`.
    ///   - state: `GET …/state`.
    ///   - log: `GET …/log` (oldest first).
    static func describe(configuration: JSONValue, state: JSONValue, log: JSONValue, offers: Offers) -> String {
        let endpoint = configuration.objectValue?["endpoint"]?.objectValue ?? [:]
        let running = state.objectValue?["state"]?.stringValue == "RUNNING"
        let owned = state.objectValue?["manager"]?.stringValue != nil
        if running && !owned {
            let cloud = endpoint["cloud"]?.stringValue ?? ""
            let balancer = endpoint["loadbalancer"]?.stringValue ?? ""
            if offers.managers == 0 { return "no manager is running" }
            if !cloud.isEmpty && !offers.clouds.contains(cloud) { return "no manager offers cloud '\(cloud)'" }
            if !balancer.isEmpty && !offers.loadBalancers.contains(balancer) {
                return "no manager offers loadbalancer '\(balancer)'"
            }
        }
        // The newest entry of the endpoint's log, when it is a warning or an error: a later
        // information (a successful change) means it has passed.
        if let newest = log.arrayValue?.last.flatMap(LogLine.init), newest.severity != "INFO" {
            return newest.message.count > 80 ? String(newest.message.prefix(79)) + "…" : newest.message
        }
        return "-"
    }

    /// `[timestamp, severity, message]`.
    struct LogLine {
        var severity: String
        var message: String

        init?(_ json: JSONValue) {
            guard let parts = json.arrayValue, parts.count == 3, let severity = parts[1].stringValue,
                let message = parts[2].stringValue
            else { return nil }
            self.severity = severity
            self.message = message
        }
    }
}
