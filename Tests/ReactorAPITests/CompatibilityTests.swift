import Foundation
import ReactorCore
import Testing

/// Configurations an operator of the original Reactor brings, written from its documented keys
/// (the `example/endpoint/*.conf` kind), for the drivers this build has: accepted as they are, the
/// original's names read, the clouds that are not built refused with a message that says so.
@Suite struct CompatibilityTests {
    static let originals: [(name: String, text: String)] = [
        (
            "nginx-http",
            """
            [endpoint]
            url = http://example.com/
            port = 8080
            loadbalancer = nginx
            cloud = docker
            template = nginx
            static_instances = 10.0.0.5, localhost

            [scaling]
            min_instances = 1
            max_instances = 5
            rules = 0.5 <= rate <= 20

            [loadbalancer:nginx]
            sticky_sessions = true

            [cloud:docker]
            image = busybox:1.36
            slots = 10
            """
        ),
        (
            "haproxy-tcp",
            """
            [endpoint]
            url = tcp://6379
            port = 6379
            loadbalancer = haproxy
            static_instances = 10.0.0.7

            [loadbalancer:haproxy]
            balance = source
            contimeout = 5000
            clitimeout = 50000
            srvtimeout = 50000
            """
        ),
        (
            "haproxy-http",
            """
            [endpoint]
            url = http://10.0.0.1:8080
            loadbalancer = haproxy
            cloud = docker

            [scaling]
            min_instances = 2
            max_instances = 4
            rules = 10 <= active <= 30

            [loadbalancer:haproxy]
            balance = uri
            sticky = true
            errorloc = http://example.com/busy.html

            [cloud:docker]
            image = web:1
            """
        ),
        (
            "dnsmasq",
            """
            [endpoint]
            url = dns://db.example.com
            loadbalancer = dnsmasq
            static_instances = 10.0.0.8, 10.0.0.9
            """
        ),
        (
            "tcp-pending",
            """
            [endpoint]
            url = tcp://9000
            port = 9000
            loadbalancer = tcp
            cloud = process

            [scaling]
            min_instances = 0
            max_instances = 3
            rules = pending <= 0

            [cloud:process]
            command = exec python3 -m http.server --bind ${REACTOR_INSTANCE_IP} ${REACTOR_PORT}
            """
        ),
    ]

    @Test func theOriginalsConfigurationsAreAccepted() async throws {
        try await withAPI("compat") { api in
            for (name, text) in Self.originals {
                let reply = try await api.request(
                    .post, "/v1.1/endpoints/\(name)", body: text, headers: [.contentType: "text/plain"])
                #expect(reply.status == .ok, "\(name) is accepted: \(reply.text)")
            }
            let stored = try await api.request(.get, "/v1.1/endpoints/nginx-http").json
            let endpoint = stored?.objectValue?["endpoint"]?.objectValue
            #expect(endpoint?["template"]?.stringValue == "nginx", "template is kept: \(String(describing: stored))")
            #expect(endpoint?["static_instances"]?.stringValue == "10.0.0.5,localhost", "a host name is kept")
        }
    }

    @Test(arguments: ["osapi", "osvms"])
    func theOpenStackCloudsSayTheyAreNotBuilt(cloud: String) async throws {
        try await withAPI("compat-openstack") { api in
            let reply = try await api.request(
                .post, "/v1.1/endpoints/vms", body: "[endpoint]\ncloud = \(cloud)\n",
                headers: [.contentType: "text/plain"])
            #expect(reply.status == .badRequest)
            let message = reply.json?.objectValue?["endpoint"]?.objectValue?["cloud"]?.stringValue ?? ""
            #expect(message.contains("not available in this build"), "\(reply.text)")
        }
    }

    @Test func badValuesOfTheOriginalsKeysAreRefusedByField() async throws {
        try await withAPI("compat-bad") { api in
            for (section, key, value) in [
                ("loadbalancer:haproxy", "balance", "random"), ("loadbalancer:haproxy", "contimeout", "soon"),
                ("loadbalancer:haproxy", "errorloc", "busy.html"), ("endpoint", "template", "../x"),
                ("endpoint", "static_instances", "-bad-.example"),
            ] {
                let text =
                    section == "endpoint"
                    ? "[endpoint]\n\(key) = \(value)\n"
                    : "[endpoint]\nurl = http://example.com\nloadbalancer = haproxy\n[\(section)]\n\(key) = \(value)\n"
                let reply = try await api.request(
                    .post, "/v1.1/endpoints/bad", body: text, headers: [.contentType: "text/plain"])
                #expect(reply.status == .badRequest, "[\(section)] \(key) = \(value) is refused: \(reply.text)")
                #expect(reply.json?.objectValue?[section]?.objectValue?[key] != nil, "the answer names the key")
            }
            #expect(try await api.request(.get, "/v1.1/endpoints/bad").status == .notFound, "nothing stored")
            // `[manager] health_check` is the original's name of `interval`.
            let manager = try await api.request(
                .post, "/v1.1/managers/configs/m1", body: "[manager]\nhealth_check = 5\n",
                headers: [.contentType: "text/plain"])
            #expect(manager.status == .ok, "\(manager.text)")
            let stored = try await api.request(.get, "/v1.1/managers/configs/m1").json
            #expect(
                stored?.objectValue?["manager"]?.objectValue?["interval"]?.numberValue == 5,
                "\(String(describing: stored))")
        }
    }
}
