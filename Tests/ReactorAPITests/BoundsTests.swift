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
                let reply = try await api.request(.post, "/v1.1/endpoints/bounded/metrics/10.9.0.\(host)", body: #"{"rate": [1, 1]}"#)
                #expect(reply.status == .ok, "\(host): \(reply.text)")
            }
            let refused = try await api.request(.post, "/v1.1/endpoints/bounded/metrics/10.9.1.1", body: #"{"rate": [1, 1]}"#)
            #expect(refused.status == .conflict, Comment(rawValue: refused.text))
            #expect(refused.message?.contains("64 instance IPs") == true, Comment(rawValue: refused.text))
            #expect(try await api.zk.exists("/reactor/endpoints/data/\(id)/ip_metrics/10.9.1.1") == nil)
            let update = try await api.request(.post, "/v1.1/endpoints/bounded/metrics/10.9.0.7", body: #"{"rate": [1, 5]}"#)
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
