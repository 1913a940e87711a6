import Foundation
import HTTPTypes
import ReactorCore
import ReactorStore
import Testing
import ZooKeeper

/// What one caller can make the API write is bounded: per-IP samples per endpoint, keyless
/// registrations per source address.
@Suite("Bounds")
struct BoundsTests {
    @Test func perIPMetricsAreBoundedPerEndpoint() async throws {
        try await withAPI { api in
            let id = try await api.makeEndpoint("bounded", config: #"{"scaling": {"max_instances": "2"}}"#)
            #expect(try await api.store.ipMetricsLimit(id: id, name: "bounded") == 64, "4 × 2 is raised to 64")
            for host in 1...64 {
                let reply = try await api.request(
                    .post, "/v1.1/endpoints/bounded/metrics/10.9.0.\(host)", body: #"{"rate": [1, 1]}"#)
                #expect(reply.status == .ok, "\(host): \(reply.text)")
            }
            let refused = try await api.request(
                .post, "/v1.1/endpoints/bounded/metrics/10.9.1.1", body: #"{"rate": [1, 1]}"#)
            #expect(refused.status == .conflict, Comment(rawValue: refused.text))
            #expect(refused.message?.contains("64 instance IPs") == true, Comment(rawValue: refused.text))
            #expect(try await api.zk.exists("/reactor/endpoints/data/\(id)/ip_metrics/10.9.1.1") == nil)
            let update = try await api.request(
                .post, "/v1.1/endpoints/bounded/metrics/10.9.0.7", body: #"{"rate": [1, 5]}"#)
            #expect(update.status == .ok, Comment(rawValue: "an IP that has samples may replace them: \(update.text)"))

            let larger = try await api.makeEndpoint("larger", config: #"{"scaling": {"max_instances": "20"}}"#)
            #expect(try await api.store.ipMetricsLimit(id: larger, name: "larger") == 80)
        }
    }

    @Test func keylessRegistrationsAreRateLimitedPerSource() async throws {
        try await withAPI { api in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<25 { statuses.append(try await api.request(.post, "/v1.1/register", from: "10.8.0.1").status) }
            #expect(statuses.prefix(20).allSatisfy { $0 == .ok }, "\(statuses)")
            #expect(statuses.suffix(5).contains(.tooManyRequests), "\(statuses)")
            let other = try await api.request(.post, "/v1.1/register", from: "10.8.0.2")
            #expect(other.status == .ok, "another source is not limited by the first: \(other.text)")
            #expect(try await api.store.queuedRegistrations().contains("10.8.0.1"))
        }
    }
}

/// Posted samples given a time to live stop counting once it has passed.
@Suite("Metrics time to live")
struct MetricsTimeToLiveTests {
    @Test func samplesStopCountingAfterTheirTTL() async throws {
        try await withAPI { api in
            let id = try await api.makeEndpoint("ttl", confirming: ["10.7.0.1"])
            let posted = try await api.request(
                .post, "/v1.1/endpoints/ttl/metrics", body: #"{"queue": [1, 40], "ttl": 1}"#)
            #expect(posted.status == .ok, Comment(rawValue: posted.text))
            let kept = try await api.request(
                .post, "/v1.1/endpoint/metrics", from: "10.7.0.1", body: #"{"load": [1, 3]}"#)
            #expect(kept.status == .ok, Comment(rawValue: kept.text))
            #expect(try await api.request(.get, "/v1.1/endpoints/ttl/metrics").json == ["queue": 40, "load": 3])
            try await Task.sleep(for: .milliseconds(1500))
            #expect(
                try await api.request(.get, "/v1.1/endpoints/ttl/metrics").json == ["load": 3],
                "the custom metrics' ttl has passed; the instance's samples have none")
            #expect(try await api.store.postedMetrics(id: id).averages["queue"] == nil)
        }
    }

    @Test func aBadTTLIsA400() async throws {
        try await withAPI { api in
            try await api.makeEndpoint("badttl")
            for body in [#"{"q": [1, 1], "ttl": 0}"#, #"{"q": [1, 1], "ttl": "5"}"#, #"{"q": [1, 1], "ttl": 100000}"#] {
                let reply = try await api.request(.post, "/v1.1/endpoints/badttl/metrics", body: body)
                #expect(reply.status == .badRequest, Comment(rawValue: body))
                #expect(reply.message?.contains("ttl") == true, Comment(rawValue: reply.text))
            }
        }
    }
}
