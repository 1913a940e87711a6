import Foundation
import ReactorCore
import Testing

/// `[cloud:docker]` through the API: a bad key is a 400 naming it, and nothing is stored.
@Suite struct DockerConfigurationTests {
    @Test(arguments: [
        (#"{"endpoint": {"cloud": "docker"}}"#, "cloud:docker", "image"),
        (#"{"endpoint": {"cloud": "docker"}, "cloud:docker": {"image": "Not/An Image"}}"#, "cloud:docker", "image"),
        (#"{"cloud:docker": {"image": "busybox", "mem_limit": "-1g"}}"#, "cloud:docker", "mem_limit"),
        (#"{"cloud:docker": {"image": "busybox", "network": "none"}}"#, "cloud:docker", "network"),
        (#"{"cloud:docker": {"image": "busybox", "slots": "-2"}}"#, "cloud:docker", "slots"),
        (#"{"cloud:docker": {"image": "busybox", "pull": "weekly"}}"#, "cloud:docker", "pull"),
        (#"{"cloud:docker": {"image": "busybox", "privileged": "true"}}"#, "cloud:docker", "privileged"),
    ])
    func aBadDockerKeyIsRefusedByField(config: String, section: String, key: String) async throws {
        try await withAPI("docker-config") { api in
            let reply = try await api.request(.post, "/v1.1/endpoints/box", body: config)
            #expect(reply.status == .badRequest, "refused: \(config) → \(reply.text)")
            #expect(
                reply.json?.objectValue?[section]?.objectValue?[key]?.stringValue != nil,
                "the answer names \(section).\(key): \(reply.text)")
            #expect(try await api.request(.get, "/v1.1/endpoints/box").status == .notFound, "nothing stored")
        }
    }

    @Test func aGoodSectionIsStoredAndTheManagersIsChecked() async throws {
        try await withAPI("docker-config-ok") { api in
            let config =
                #"{"endpoint": {"cloud": "docker", "port": "8080"}, "cloud:docker": {"image": "busybox:1.36", "network": "host", "mem_limit": "256m", "command": "exec httpd -f -p ${REACTOR_INSTANCE_IP}:${REACTOR_PORT}"}}"#
            let reply = try await api.request(.post, "/v1.1/endpoints/box", body: config)
            #expect(reply.status == .ok, "accepted: \(reply.text)")
            let bad = try await api.request(
                .post, "/v1.1/managers/configs/m1", body: #"{"cloud:docker": {"socket": "relative.sock"}}"#)
            #expect(bad.status == .badRequest && bad.text.contains("socket"), "\(bad.text)")
            let good = try await api.request(
                .post, "/v1.1/managers/configs/m1",
                body: #"{"cloud:docker": {"socket": "/run/docker.sock", "slots": "100", "addresses": "10.1.0.0/24"}}"#)
            #expect(good.status == .ok, "\(good.text)")
        }
    }
}
