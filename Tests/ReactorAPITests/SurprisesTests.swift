import Foundation
import HTTPTypes
import LoadBalancers
import ReactorCore
import ReactorStore
import Testing
import ZooKeeper

/// What a user would not expect, said or bounded: a URL pooled with another endpoint's, a huge
/// bad value quoted back, an alias in the summary.
@Suite struct SurprisesTests {
    @Test func aNewEndpointOnAnotherEndpointsURLIsToldItPools() async throws {
        try await withAPI("pooled-url") { api in
            let config = #"{"endpoint": {"url": "tcp://127.0.0.1:9777", "loadbalancer": "tcp"}}"#
            let first = try await api.request(.put, "/v1.1/endpoints/blue", body: config)
            #expect(first.status == .ok && first.headers[HTTPField.Name("Reactor-Notice")!] == nil, "alone: no notice")
            let second = try await api.request(.put, "/v1.1/endpoints/green", body: config)
            #expect(second.status == .ok, "\(second.text)")
            let notice = second.headers[HTTPField.Name("Reactor-Notice")!] ?? ""
            #expect(notice.contains("'blue'") && notice.contains("pools"), "the answer names the other one: \(notice)")
            #expect(second.text.isEmpty, "the body stays as the contract has it")
            let log = try await api.request(.get, "/v1.1/endpoints/green/log")
            #expect(log.text.contains("'blue'"), "and so does the new endpoint's log: \(log.text)")
        }
    }

    @Test func aHugeBadValueIsNotQuotedWhole() async throws {
        try await withAPI("huge-value") { api in
            let huge = String(repeating: "x", count: 900_000)
            let body =
                #"{"loadbalancer:tcp": {"idle_timeout": "\#(huge)"}, "endpoint": {"url": "tcp://127.0.0.1:9778", "loadbalancer": "tcp"}}"#
            let reply = try await api.request(.post, "/v1.1/endpoints/big", body: body)
            #expect(reply.status == .badRequest, "refused")
            #expect(reply.text.count < 2_000, "the answer is short: \(reply.text.count) characters")
            #expect(
                reply.text.contains("idle_timeout") && reply.text.contains("characters cut"),
                "\(reply.text.prefix(700))")
        }
    }

    @Test func anAliasIsMarkedInTheSummary() async throws {
        try await withAPI("summary-alias") { api in
            #expect(try await api.request(.put, "/v1.1/endpoints/web", body: "{}").status == .ok)
            #expect(try await api.request(.post, "/v1.1/endpoints/web/alias", body: #""www""#).status == .ok)
            let summary = try await api.request(.get, "/v1.1/summary")
            let endpoints = summary.json?.objectValue?["endpoints"]?.arrayValue ?? []
            let byName = Dictionary(
                uniqueKeysWithValues: endpoints.compactMap { entry in
                    entry.objectValue?["name"]?.stringValue.map { ($0, entry) }
                })
            #expect(byName["web"]?.objectValue?["alias_of"] == .null, "the endpoint itself: \(summary.text)")
            #expect(byName["www"]?.objectValue?["alias_of"] == "web", "the alias says whose: \(summary.text)")
            #expect(byName["web"]?.objectValue?["state"] == "PAUSED", "\(summary.text)")
        }
    }

    @Test func haproxyAlertsAreSaidOnce() {
        let output = """
            [NOTICE] starting
            [ALERT] (1) : config : parsing [haproxy.cfg:12] : 'bind 127.0.0.1:80' : cannot bind socket
            [ALERT] (1) : config : parsing [haproxy.cfg:12] : 'bind 127.0.0.1:80' : cannot bind socket
            [ALERT] (1) : config : Fatal errors found in configuration.
            """
        let problems = HAProxyBalancer.problems(in: output)
        #expect(problems.components(separatedBy: "cannot bind socket").count == 2, "each alert once: \(problems)")
        #expect(problems.contains("Fatal errors"), "\(problems)")
    }

    /// 10,000 endpoints listed in one request. The time is printed, not asserted (the machine is
    /// shared and noisy); docs/benchmarks.md keeps the figure.
    @Test func tenThousandEndpointsListInOneRequest() async throws {
        try await withAPI("summary-10k") { api in
            let count = 10_000
            var operations: [MultiOperation] = []
            for index in 0..<count {
                let id = UUID().uuidString.lowercased()
                operations.append(.create(path: ZNodeLayout.endpointName("e\(index)"), data: Array(id.utf8)))
                operations.append(
                    .create(
                        path: ZNodeLayout.endpoint(id),
                        data: Array(#"{"endpoint":{"cloud":"process","url":"tcp://127.0.0.1:\#(10000 + index)"}}"#.utf8)
                    ))
                operations.append(
                    .create(path: ZNodeLayout.endpoint(id, EndpointNode.state), data: Array("RUNNING".utf8)))
                if operations.count >= 600 {
                    _ = try await api.zk.multi(operations)
                    operations.removeAll()
                }
            }
            if !operations.isEmpty { _ = try await api.zk.multi(operations) }
            let started = ContinuousClock.now
            let reply = try await api.request(.get, "/v1.1/summary")
            let took = ContinuousClock.now - started
            let listed = reply.json?.objectValue?["endpoints"]?.arrayValue ?? []
            let again = ContinuousClock.now
            let warm = try await api.request(.get, "/v1.1/summary")
            let warmTook = ContinuousClock.now - again
            print(
                "GET /v1.1/summary: \(listed.count) endpoints, \(reply.text.utf8.count) bytes in \(took) "
                    + "(first request); \(warmTook) (again, from the read cache)")
            #expect(warm.status == .ok, "the second answer too")
            #expect(reply.status == .ok && listed.count == count, "every endpoint listed: \(listed.count)")
            let first = listed.first?.objectValue
            #expect(first?["state"] == "RUNNING", "with its state: \(String(describing: first))")
            let conditions = first?["conditions"]?.arrayValue ?? []
            #expect(
                conditions.contains { $0.objectValue?["type"] == "NoManager" },
                "a RUNNING endpoint no manager owns says why: \(String(describing: first))")
        }
    }
}
