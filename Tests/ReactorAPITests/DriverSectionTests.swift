import Foundation
import ReactorCore
import Testing

/// Every driver section is checked by the API, every bad key named in one answer, and nothing is
/// stored when any is bad.
@Suite struct DriverSectionTests {
    @Test(arguments: [
        (#"{"cloud:process": {"comand": "sleep 9"}}"#, ["comand"], "did you mean 'command'"),
        (#"{"cloud:process": {"command": "sleep 9", "addresses": "127.0.1.0/33"}}"#, ["addresses"], "IPv4 block"),
        (#"{"cloud:process": {"command": "sleep 9", "environment": "REACTOR_API=x"}}"#, ["environment"], "REACTOR_"),
        (
            #"{"cloud:process": {"comand": "x", "adresses": "10.0.0.0/8", "addresses": "nope"}}"#,
            ["comand", "adresses", "addresses"], "known keys"
        ),
    ])
    func aBadProcessSectionNamesEveryKey(config: String, keys: [String], words: String) async throws {
        try await withAPI("process-section") { api in
            let reply = try await api.request(.post, "/v1.1/endpoints/box", body: config)
            #expect(reply.status == .badRequest, "refused: \(config) → \(reply.text)")
            let section = reply.json?.objectValue?["cloud:process"]?.objectValue ?? [:]
            #expect(Set(section.keys) == Set(keys), "every bad key and only those: \(reply.text)")
            #expect(reply.text.contains(words), "the answer says '\(words)': \(reply.text)")
            #expect(try await api.request(.get, "/v1.1/endpoints/box").status == .notFound, "nothing stored")
        }
    }

    @Test func everyBadBalancerKeyIsNamedAtOnce() async throws {
        try await withAPI("tcp-section") { api in
            let config =
                #"{"endpoint": {"url": "tcp://127.0.0.1:9555", "loadbalancer": "tcp"}, "loadbalancer:tcp": {"idle_timeout": "-1", "max_connections": "0", "balanse": "roundrobin"}}"#
            let reply = try await api.request(.post, "/v1.1/endpoints/box", body: config)
            #expect(reply.status == .badRequest, "\(reply.text)")
            let section = reply.json?.objectValue?["loadbalancer:tcp"]?.objectValue ?? [:]
            #expect(
                Set(section.keys) == ["idle_timeout", "max_connections", "balanse"],
                "each of the three is named: \(reply.text)")
            #expect(reply.text.contains("did you mean 'balance'"), "\(reply.text)")
        }
    }

    @Test func aProcessSectionWithoutCommandIsStored() async throws {
        try await withAPI("process-no-command") { api in
            // Written before its command is known; its launches say what is missing.
            let reply = try await api.request(
                .post, "/v1.1/endpoints/box",
                body: #"{"endpoint": {"cloud": "process"}, "cloud:process": {"addresses": "127.0.7.0/24"}}"#)
            #expect(reply.status == .ok, "\(reply.text)")
        }
    }
}
