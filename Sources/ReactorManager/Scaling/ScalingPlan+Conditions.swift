import ReactorCore

/// The conditions a pass shows of an endpoint's instances and rules.
extension ScalingPlan.Steps {
    /// Metrics the front doors report for an endpoint behind a balancer: absent when nothing
    /// passed through it, which is no problem of the rules.
    static let balancerMetrics: Set<String> = ["active", "rate", "bytes", "errors", "response", "pending"]

    /// How long an instance may go unconfirmed before its endpoint shows
    /// ``EndpointCondition/Kind/backendUnconfirmed``: half its `unregistered_timeout`, at most 60 s.
    var unconfirmedAfter: Double { min(60, Double(config.unregisteredTimeout) / 2) }

    /// What this pass shows: backends that are not confirmed, rules whose metric nobody reports.
    func conditions(record: DecisionRecord) -> [EndpointCondition.Kind: String] {
        var conditions: [EndpointCondition.Kind: String] = [:]
        guard snapshot.state == .running else { return conditions }
        let waiting = active.sorted().filter { instance in
            (marks[instance]?.unregistered ?? 0) >= unconfirmedAfter
        }
        let anyConfirmed = active.contains { instance in
            snapshot.cloudInstances[instance]?.ips.contains(where: snapshot.confirmedIPs.contains) ?? false
        }
        if !neverConfirmed.isEmpty {
            conditions[.backendUnconfirmed] =
                "instance(s) \(neverConfirmed.joined(separator: ", ")) deleted: the backend was not confirmed within "
                + "unregistered_timeout \(config.unregisteredTimeout) s (does the instance serve, or register?)"
        } else if !waiting.isEmpty {
            let names = waiting.map { snapshot.cloudInstances[$0]?.name ?? $0 }
            conditions[.backendUnconfirmed] =
                "\(names.count) instance(s) not confirmed after \(Int(unconfirmedAfter)) s or more: "
                + names.prefix(5).joined(separator: ", ")
        } else if snapshot.backendsWereUnconfirmed && !anyConfirmed && !active.isEmpty {
            conditions[.backendUnconfirmed] = "no instance has been confirmed since the last was deleted unconfirmed"
        }
        if !active.isEmpty {
            let unreported = record.decision.steps.filter { step in
                step.zeroMetric
                    && (config.loadBalancer == nil || !Self.balancerMetrics.contains(step.rule.metric))
            }
            if !unreported.isEmpty {
                conditions[.metricUnreported] = unreported.map { step in
                    "rule '\(step.rule)': \(step.zeroReason ?? "'\(step.rule.metric)' missing"), counted as 0"
                }.joined(separator: "; ")
            }
        }
        return conditions
    }
}
