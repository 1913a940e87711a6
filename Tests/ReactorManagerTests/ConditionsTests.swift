import Foundation
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

/// Each condition an endpoint can show is set while its problem holds, shown by
/// `GET …/conditions` and `GET /v1.1/summary`, and cleared once the problem is fixed: a real API
/// and manager process on a real ZooKeeper, real instance processes and balancers.
@Suite("Endpoint conditions", .serialized)
struct ConditionsTests {
    /// The endpoint's conditions as `GET …/conditions` gives them, by type.
    static func conditions(_ http: HTTP, _ name: String) async throws -> [String: String] {
        let list = try await http.get("/v1.1/endpoints/\(name)/conditions").json as? [[String: Any]] ?? []
        var byType: [String: String] = [:]
        for condition in list {
            if let type = condition["type"] as? String { byType[type] = condition["reason"] as? String ?? "" }
        }
        return byType
    }

    /// The endpoint's condition types as `GET /v1.1/summary` lists them.
    static func summaryTypes(_ http: HTTP, _ name: String) async throws -> Set<String> {
        let summary = try await http.get("/v1.1/summary").json as? [String: Any]
        let endpoints = summary?["endpoints"] as? [[String: Any]] ?? []
        let entry = endpoints.first { $0["name"] as? String == name }
        let conditions = entry?["conditions"] as? [[String: Any]] ?? []
        return Set(conditions.compactMap { $0["type"] as? String })
    }

    /// Waits until `type` is set on `name` (in both routes), returns its reason.
    @discardableResult
    static func waitSet(_ http: HTTP, _ name: String, _ type: String, timeout: Duration = .seconds(30)) async throws
        -> String
    {
        try await eventually("\(name) shows \(type)", timeout: timeout) {
            let listed = try await conditions(http, name)[type] != nil
            let summarized = try await summaryTypes(http, name).contains(type)
            return listed && summarized
        }
        return try await conditions(http, name)[type] ?? ""
    }

    static func waitCleared(_ http: HTTP, _ name: String, _ type: String, timeout: Duration = .seconds(30))
        async throws
    {
        try await eventually("\(name) no longer shows \(type)", timeout: timeout) {
            let listed = try await conditions(http, name)[type] != nil
            let summarized = try await summaryTypes(http, name).contains(type)
            return !listed && !summarized
        }
    }

    /// Runs `body` with an API and a manager (interval 0.3 s), stopping both and the instances after.
    static func with(_ label: String, _ body: (APIAndManager) async throws -> Void) async throws {
        try await APIAndManager.start(label, manager: label).run(body)
    }

    static func endpoint(command: String?, addresses: String, extra: [String: [String: String]] = [:]) -> [String: Any]
    {
        var cloud = ["addresses": addresses]
        if let command { cloud["command"] = command }
        var config: [String: [String: String]] = [
            "endpoint": ["cloud": "process", "port": "8000"],
            "scaling": ["min_instances": "1", "max_instances": "1"],
            "cloud:process": cloud,
        ]
        for (section, values) in extra { config[section, default: [:]].merge(values) { _, new in new } }
        return config
    }

    @Test func launchFailingIsSetOnceWithBackoffAndClearedByACommand() async throws {
        try await Self.with("cond-launch") { reactor in
            let http = reactor.http
            #expect(
                try await http.post("/v1.1/endpoints/nocmd", Self.endpoint(command: nil, addresses: "127.0.10.0/24"))
                    .status == 200)
            #expect(try await http.post("/v1.1/endpoints/nocmd/state", ["action": "start"]).status == 200)
            let reason = try await Self.waitSet(http, "nocmd", "LaunchFailing")
            #expect(reason.contains("has no command"), "the reason says why: \(reason)")
            // Several passes (0.3 s each) later: said in the log once, tried again with backoff.
            try await Task.sleep(for: .seconds(3))
            let log = try await http.get("/v1.1/endpoints/nocmd/log").text
            #expect(
                log.components(separatedBy: "has no command").count - 1 <= 2,
                "the failure is not logged every pass: \(log)")
            #expect(
                try await http.post(
                    "/v1.1/endpoints/nocmd", Self.endpoint(command: "sleep 600", addresses: "127.0.10.0/24")
                ).status == 200)
            try await Self.waitCleared(http, "nocmd", "LaunchFailing", timeout: .seconds(60))
        }
    }

    @Test func instancesFailingHoldsWhileInstancesExitAndClearsOnceOneRuns() async throws {
        try await Self.with("cond-failing") { reactor in
            let http = reactor.http
            let crashing = Self.endpoint(command: "exit 3", addresses: "127.0.11.0/24")
            #expect(try await http.post("/v1.1/endpoints/crashy", crashing).status == 200)
            #expect(try await http.post("/v1.1/endpoints/crashy/state", ["action": "start"]).status == 200)
            let reason = try await Self.waitSet(http, "crashy", "InstancesFailing")
            #expect(reason.contains("in a row"), "the reason counts the failures: \(reason)")
            // Point 5: the hold starts at the failure: no launch in the pass that found it.
            let entries = try await http.get("/v1.1/endpoints/crashy/log").json as? [[Any]] ?? []
            let messages = entries.compactMap { $0.last as? String }
            if let failed = messages.firstIndex(where: { $0.contains("failed: ") }) {
                let next = messages[(failed + 1)...].first {
                    $0.contains("launched instance") || $0.contains("no launch for")
                }
                #expect(next?.contains("no launch for") == true, "after a failure the hold comes first: \(messages)")
            }
            let healthy = Self.endpoint(
                command: "sleep 600", addresses: "127.0.11.0/24", extra: ["endpoint": ["unregistered_timeout": "600"]])
            #expect(try await http.post("/v1.1/endpoints/crashy", healthy).status == 200)
            try await Self.waitCleared(http, "crashy", "InstancesFailing", timeout: .seconds(60))
        }
    }

    @Test func backendUnconfirmedIsSetUntilTheInstanceRegisters() async throws {
        try await Self.with("cond-unconfirmed") { reactor in
            let http = reactor.http
            let silent = Self.endpoint(
                command: "sleep 600", addresses: "127.0.12.0/24", extra: ["endpoint": ["unregistered_timeout": "60"]])
            #expect(try await http.post("/v1.1/endpoints/silent", silent).status == 200)
            #expect(try await http.post("/v1.1/endpoints/silent/state", ["action": "start"]).status == 200)
            // Unconfirmed for more than min(60 s, unregistered_timeout / 2): 30 s.
            let reason = try await Self.waitSet(http, "silent", "BackendUnconfirmed", timeout: .seconds(90))
            #expect(reason.contains("not confirmed"), "\(reason)")
            // Register the instance's address, as the instance itself would.
            var address: String?
            try await eventually("the instance's address is known") {
                address = Self.leasedAddress("silent", "127.0.12.")
                return address != nil
            }
            let addresses = address ?? ""
            #expect(try await http.post("/v1.1/register/\(addresses)").status == 200)
            try await Self.waitCleared(http, "silent", "BackendUnconfirmed")
        }
    }

    /// The address the process cloud leased in `prefix`, read from the instance's process table
    /// entry (its `REACTOR_INSTANCE_IP`).
    static func leasedAddress(_ endpoint: String, _ prefix: String) -> String? {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(entry) != nil {
            guard let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ") else { continue }
            let variables = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard variables.contains("REACTOR_ENDPOINT=\(endpoint)"),
                let ip = variables.first(where: { $0.hasPrefix("REACTOR_INSTANCE_IP=\(prefix)") })
            else { continue }
            return String(ip.dropFirst("REACTOR_INSTANCE_IP=".count))
        }
        return nil
    }

    @Test func metricUnreportedIsSetUntilTheMetricIsPosted() async throws {
        try await Self.with("cond-metric") { reactor in
            let http = reactor.http
            let ruled = Self.endpoint(
                command: "sleep 600", addresses: "127.0.13.0/24",
                extra: ["scaling": ["rules": "1 <= queue <= 10"], "endpoint": ["unregistered_timeout": "600"]])
            #expect(try await http.post("/v1.1/endpoints/ruled", ruled).status == 200)
            #expect(try await http.post("/v1.1/endpoints/ruled/state", ["action": "start"]).status == 200)
            let reason = try await Self.waitSet(http, "ruled", "MetricUnreported")
            #expect(reason.contains("queue"), "names the metric: \(reason)")
            #expect(try await http.post("/v1.1/endpoints/ruled/metrics", ["queue": [1, 5]]).status == 200)
            try await Self.waitCleared(http, "ruled", "MetricUnreported")
        }
    }

    @Test func noManagerIsSetForACloudNobodyOffersAndClearedWhenStopped() async throws {
        try await Self.with("cond-nomanager") { reactor in
            let http = reactor.http
            let boxed: [String: Any] = ["endpoint": ["cloud": "openstack", "port": "8000"]]
            #expect(try await http.post("/v1.1/endpoints/boxed", boxed).status == 200)
            #expect(try await http.post("/v1.1/endpoints/boxed/state", ["action": "start"]).status == 200)
            try await Self.waitSet(http, "boxed", "NoManager")
            // "no manager is running" until the test's manager has registered; then the cloud.
            try await eventually("the reason names the cloud nobody offers") {
                try await Self.conditions(http, "boxed")["NoManager"]?.contains("openstack") == true
            }
            #expect(try await http.post("/v1.1/endpoints/boxed/state", ["action": "stop"]).status == 200)
            try await Self.waitCleared(http, "boxed", "NoManager")
        }
    }

    @Test func configurationInvalidIsSetForAStoredConfigurationTheOwnerCannotUse() async throws {
        try await Self.with("cond-config") { reactor in
            let http = reactor.http
            #expect(try await http.post("/v1.1/endpoints/odd", ["endpoint": ["port": "8000"]]).status == 200)
            #expect(try await http.post("/v1.1/endpoints/odd/state", ["action": "start"]).status == 200)
            // Written behind the API's back (by hand, or an older tool): a port no endpoint can have.
            let zk = try await ZooKeeperClient.connect(.init(connectString: reactor.namespace))
            defer { Task { await zk.close() } }
            let store = ReactorStore(client: zk)
            let id = try await store.endpointID(named: "odd")
            _ = try await zk.set(ZNodeLayout.endpoint(id), data: Array(#"{"endpoint": {"port": "seventy"}}"#.utf8))
            let reason = try await Self.waitSet(http, "odd", "ConfigurationInvalid")
            #expect(reason.contains("not valid"), "\(reason)")
            #expect(try await http.post("/v1.1/endpoints/odd", ["endpoint": ["port": "8000"]]).status == 200)
            try await Self.waitCleared(http, "odd", "ConfigurationInvalid")
        }
    }

    @Test func balancerFailedIsSetForATakenPortAndClearedOnAFreeOne() async throws {
        try await Self.with("cond-balancer") { reactor in
            let http = reactor.http
            // A port held by someone else (here: a listener of this test).
            let taken = try LoopbackPorts.free()
            let squatter = try ManagedProcess(
                ["python3", "-m", "http.server", "--bind", "127.0.0.1", "\(taken)"],
                logPath: reactor.logs + "/squatter.log")
            defer { Task { await squatter.kill() } }
            try await eventually("the port is taken") { LoopbackPorts.isListening(port: taken) }
            let config: [String: Any] = [
                "endpoint": ["url": "tcp://127.0.0.1:\(taken)", "loadbalancer": "tcp", "port": "8000"],
                "scaling": ["min_instances": "0", "max_instances": "0"],
            ]
            #expect(try await http.post("/v1.1/endpoints/busy", config).status == 200)
            #expect(try await http.post("/v1.1/endpoints/busy/state", ["action": "start"]).status == 200)
            let reason = try await Self.waitSet(http, "busy", "BalancerFailed")
            #expect(reason.contains(reactor.managerName), "names the host whose balancer failed: \(reason)")
            let free = try LoopbackPorts.free()
            let moved: [String: Any] = [
                "endpoint": ["url": "tcp://127.0.0.1:\(free)", "loadbalancer": "tcp", "port": "8000"],
                "scaling": ["min_instances": "0", "max_instances": "0"],
            ]
            #expect(try await http.post("/v1.1/endpoints/busy", moved).status == 200)
            try await Self.waitCleared(http, "busy", "BalancerFailed")
        }
    }
}
