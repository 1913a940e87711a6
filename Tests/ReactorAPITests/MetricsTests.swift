import Foundation
import HTTPTypes
import Hummingbird
import ReactorCore
import ReactorStore
import Testing

@testable import ReactorAPI

/// The Prometheus text format, read strictly enough to catch malformed output: `# TYPE` lines
/// and `name{label="value",…} number` samples.
struct PrometheusText {
    struct Sample: Hashable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    var types: [String: String] = [:]
    var samples: [Sample] = []

    init(_ text: String) throws {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                try #require(parts.count == 4, "a TYPE line has a name and a type: \(line)")
                types[String(parts[2])] = String(parts[3])
                continue
            }
            if line.hasPrefix("#") { continue }
            let nameEnd = line.firstIndex { $0 == "{" || $0 == " " } ?? line.endIndex
            let name = String(line[..<nameEnd])
            try #require(
                name.range(of: "^[a-zA-Z_:][a-zA-Z0-9_:]*$", options: .regularExpression) != nil, "name in \(line)")
            var labels: [String: String] = [:]
            var rest = line[nameEnd...]
            if rest.hasPrefix("{") {
                let close = try #require(rest.lastIndex(of: "}"), "labels end in \(line)")
                let body = rest[rest.index(after: rest.startIndex)..<close]
                let pattern = #/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/#
                var consumed = 0
                for match in body.matches(of: pattern) {
                    labels[String(match.1)] = String(match.2)
                    consumed += match.0.count
                }
                try #require(consumed == body.count, "every label is name=\"value\": \(line)")
                rest = rest[rest.index(after: close)...]
            }
            let value = try #require(Double(rest.trimmingCharacters(in: .whitespaces)), "a number in \(line)")
            samples.append(Sample(name: name, labels: labels, value: value))
        }
    }

    func values(_ name: String, where labels: [String: String] = [:]) -> [Double] {
        samples.filter { sample in
            sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value }
        }.map(\.value)
    }
}

@Suite struct MetricsTests {
    @Test func metricsAreThePrometheusFormatWithTheDocumentedSeries() async throws {
        try await withAPI { api in
            let id = try await api.makeEndpoint("web", confirming: ["10.1.0.5", "10.1.0.6"])
            try await api.store.associateInstance("i-1", id: id, name: "web")
            try await api.request(.post, "/v1.1/endpoints/web/state", body: #"{"action": "start"}"#)
            try await api.request(.post, "/v1.1/endpoints/web/alias", body: #""www""#)
            try await api.request(.get, "/v1.1/endpoints/web/state")
            try await api.request(.get, "/v1.1/endpoints/no-such-endpoint-4711/state")
            let reply = try await api.request(.get, "/metrics")
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let metrics = try PrometheusText(reply.text)
            let routes = Set(metrics.samples.compactMap { $0.labels["route"] })

            #expect(metrics.types["reactor_api_requests_total"] == "counter")
            #expect(metrics.types["reactor_api_request_duration_seconds"] == "histogram")
            let route = "/v1.1/endpoints/{name}/state"
            #expect(
                metrics.values("reactor_api_requests_total", where: ["route": route, "method": "GET", "status": "200"])
                    == [1], "one answered GET of \(route); routes: \(routes)")
            #expect(
                metrics.values("reactor_api_requests_total", where: ["route": route, "method": "GET", "status": "404"])
                    == [1], "the unknown endpoint counts under the same pattern")
            #expect(
                !metrics.samples.contains { $0.labels.values.contains { $0.contains("no-such-endpoint") } },
                "no label holds a requested path")
            #expect(
                metrics.values("reactor_api_request_duration_seconds_count", where: ["route": route, "method": "GET"])
                    == [2])
            #expect(
                !metrics.values("reactor_api_request_duration_seconds_bucket", where: ["route": route, "le": "+Inf"])
                    .isEmpty)

            let web = ["endpoint": "web"]
            #expect(metrics.values("reactor_endpoint_instances", where: web.merging(["state": "active"]) { $1 }) == [1])
            #expect(
                metrics.values("reactor_endpoint_instances", where: web.merging(["state": "errored"]) { $1 }) == [0])
            #expect(metrics.values("reactor_endpoint_confirmed_addresses", where: web) == [2])
            #expect(metrics.values("reactor_endpoint_sessions", where: web) == [0])
            #expect(metrics.values("reactor_endpoint_state", where: web.merging(["state": "RUNNING"]) { $1 }) == [1])
            #expect(metrics.values("reactor_endpoint_state", where: web.merging(["state": "PAUSED"]) { $1 }) == [0])
            #expect(metrics.values("reactor_endpoint_state", where: ["endpoint": "www"]).isEmpty, "an alias once")
            // RUNNING and no manager runs: one endpoint with NoManager, none with another condition.
            #expect(metrics.values("reactor_endpoints_with_condition", where: ["type": "NoManager"]) == [1])
            #expect(metrics.values("reactor_endpoints_with_condition", where: ["type": "BalancerFailed"]) == [0])
            #expect(
                metrics.values("reactor_endpoint_condition", where: web.merging(["type": "NoManager"]) { $1 }) == [1])
            try await api.request(.post, "/v1.1/endpoints/web/state", body: #"{"action": "stop"}"#)
            let stopped = try PrometheusText(try await api.request(.get, "/metrics").text)
            #expect(
                stopped.values("reactor_endpoints_with_condition", where: ["type": "NoManager"]) == [0],
                "cleared once the endpoint is stopped")
        }
    }

    @Test func everyAPISeriesIsDocumented() throws {
        let docs = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../docs/metrics.md"), encoding: .utf8)
        for name in [
            "reactor_api_requests_total", "reactor_api_request_duration_seconds", "reactor_endpoint_instances",
            "reactor_endpoint_confirmed_addresses", "reactor_endpoint_sessions", "reactor_endpoint_state",
            "reactor_endpoint_target_instances", "reactor_endpoint_metric", "reactor_endpoints_with_condition",
            "reactor_endpoint_condition",
        ] {
            #expect(docs.contains("`\(name)`"), "docs/metrics.md documents \(name)")
        }
    }

    @Test func metricsNeedTheAdminKeyOnceOneIsSet() async throws {
        try await withAPI { api in
            try await SessionTests.setKey(api, "sesame")
            #expect(try await api.request(.get, "/metrics").status == .unauthorized)
            #expect(try await api.request(.get, "/metrics?auth_key=sesame").status == .ok, "Prometheus params")
            #expect(try await api.request(.get, "/metrics", headers: .authKey("sesame")).status == .ok)
        }
    }
}
