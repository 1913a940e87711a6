import Foundation
import ReactorCore
import ReactorStore
import Testing

/// The API refuses an endpoint URL its balancer would refuse, with the same reading the driver
/// makes on the managers, and stores nothing.
@Suite struct DriverURLTests {
    @Test(arguments: [
        ("haproxy", "http://127.0.0.1:8082/app"), ("haproxy", "https://127.0.0.1:8443/"),
        ("tcp", "tcp://127.0.0.1:8000/path"), ("nginx", "tcp://127.0.0.1:80"),
    ])
    func aURLTheBalancerCannotServeIsA400(driver: String, url: String) async throws {
        try await withAPI { api in
            let before = try await api.snapshot()
            let body = #"{"endpoint": {"loadbalancer": "\#(driver)", "url": "\#(url)"}}"#
            let reply = try await api.request(.post, "/v1.1/endpoints/web", body: body)
            #expect(reply.status == .badRequest, "\(driver) \(url): \(reply.text)")
            let message = reply.json?.objectValue?["endpoint"]?.objectValue?["url"]?.stringValue ?? ""
            #expect(message.contains(url), "the message names the URL: \(reply.text)")
            #expect(try await api.snapshot() == before, "nothing is written")
        }
    }

    @Test func theURLsTheBalancersServeAreAccepted() async throws {
        try await withAPI { api in
            for (index, (driver, url)) in [
                ("haproxy", "http://127.0.0.1:8082/"), ("haproxy", "tcp://127.0.0.1:8083"),
                ("nginx", "http://127.0.0.1:8081/app"), ("tcp", "tcp://127.0.0.1:8000"),
            ].enumerated() {
                let body = #"{"endpoint": {"loadbalancer": "\#(driver)", "url": "\#(url)"}}"#
                let reply = try await api.request(.post, "/v1.1/endpoints/web\(index)", body: body)
                #expect(reply.status == .ok || reply.status == .created, "\(driver) \(url): \(reply.text)")
            }
        }
    }
}
