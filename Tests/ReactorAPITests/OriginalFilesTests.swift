import Foundation
import ReactorCore
import Testing

/// The original Reactor's own default and example endpoint files (``OriginalFiles``), put through
/// `PUT /v1.1/endpoints/NAME` as an operator moving over would: those naming only drivers this
/// build has are accepted as they are; the others are refused with the messages
/// docs/migrating.md documents.
@Suite struct OriginalFilesTests {
    /// The endpoint name a file is stored under: `default/apihttp.conf` → `apihttp`.
    static func name(_ path: String) -> String {
        let file = path.split(separator: " ").first.map(String.init) ?? path
        return String(file.split(separator: "/").last?.split(separator: ".").first ?? "original")
    }

    @Test func theFilesNamingBuiltDriversAreAccepted() async throws {
        try await withAPI("original-files") { api in
            for (path, text) in OriginalFiles.accepted {
                let reply = try await api.request(
                    .put, "/v1.1/endpoints/\(Self.name(path))", body: text, headers: [.contentType: "text/plain"])
                #expect(reply.status == .ok, "\(path) should be accepted as it is: \(reply.text)")
            }
            let https = try await api.request(.get, "/v1.1/endpoints/apihttps").json
            #expect(
                https?.objectValue?["loadbalancer:nginx"]?.objectValue?["ssl"]?.stringValue == "true",
                "ssl is kept: \(String(describing: https))")
            let nginx = try await api.request(.get, "/v1.1/endpoints/nginx").json
            #expect(
                nginx?.objectValue?["cloud:docker"]?.objectValue?["command"]?.stringValue == "nc -l 4444",
                "the docker section is kept: \(String(describing: nginx))")
        }
    }

    /// `(section, key, what the message says)` expected in the answer to each refused file.
    static let refusals: [String: [(section: String, key: String, says: String)]] = [
        "tcp": [("endpoint", "cloud", "not available in this build"), ("cloud:osapi", "*", "not available")],
        "rdp": [
            ("endpoint", "cloud", "not available in this build"),
            ("endpoint", "loadbalancer", "the rdp balancer"), ("loadbalancer:rdp", "*", "the rdp balancer"),
        ],
        "endpoint": [("endpoint", "cloud", "not available in this build"), ("windows", "*", "Windows domain join")],
        "windows": [("endpoint", "cloud", "not available in this build"), ("windows", "*", "Windows domain join")],
        "service": [("service", "*", "name of [endpoint]")],
    ]

    @Test func theFilesNamingDriversThatAreNotBuiltAreRefusedSayingSo() async throws {
        try await withAPI("original-refused") { api in
            for (path, text) in OriginalFiles.refused {
                let name = Self.name(path)
                let reply = try await api.request(
                    .put, "/v1.1/endpoints/\(name)", body: text, headers: [.contentType: "text/plain"])
                #expect(reply.status == .badRequest, "\(path) should be refused: \(reply.text)")
                let expected = try #require(Self.refusals[name], "a refusal is expected for \(path)")
                for (section, key, says) in expected {
                    let message = reply.json?.objectValue?[section]?.objectValue?[key]?.stringValue ?? ""
                    #expect(message.contains(says), "\(path): [\(section)] \(key) should say '\(says)': \(reply.text)")
                }
                #expect(try await api.request(.get, "/v1.1/endpoints/\(name)").status == .notFound, "nothing stored")
            }
        }
    }

    @Test func theOriginalsNginxKeysAreCheckedByField() async throws {
        try await withAPI("original-nginx") { api in
            for (url, key, value) in [
                ("https://", "ssl", "false"), ("http://", "ssl", "maybe"), ("http://", "redirect", "elsewhere"),
                ("http://", "keepalive", "-1"), ("http://", "sticky_sessions", "sometimes"),
            ] {
                let text = "[endpoint]\nurl = \(url)\nloadbalancer = nginx\n[loadbalancer:nginx]\n\(key) = \(value)\n"
                let reply = try await api.request(
                    .put, "/v1.1/endpoints/bad", body: text, headers: [.contentType: "text/plain"])
                #expect(reply.status == .badRequest, "\(url) with \(key) = \(value) is refused: \(reply.text)")
                #expect(
                    reply.json?.objectValue?["loadbalancer:nginx"]?.objectValue?[key] != nil,
                    "the answer names \(key): \(reply.text)")
            }
            let text = """
                [endpoint]
                url = http://:8081
                loadbalancer = nginx
                [loadbalancer:nginx]
                ssl = true
                sticky_sessions = true
                keepalive = 4
                redirect = https://example.com/busy
                """
            let reply = try await api.request(
                .put, "/v1.1/endpoints/good", body: text, headers: [.contentType: "text/plain"])
            #expect(reply.status == .ok, "every key of the original's nginx section together: \(reply.text)")
        }
    }

    @Test func theOriginalsManagerKeysAreRefusedNamingWhatReplacesThem() async throws {
        try await withAPI("original-manager") { api in
            let text = """
                [loadbalancer:nginx]
                pid_file = /var/run/nginx.pid
                site_path = /etc/nginx/sites-enabled

                [loadbalancer:haproxy]
                clitimeout = 50000
                """
            let reply = try await api.request(
                .post, "/v1.1/managers/configs/old", body: text, headers: [.contentType: "text/plain"])
            #expect(reply.status == .badRequest, "\(reply.text)")
            let errors = reply.json?.objectValue
            let pid = errors?["loadbalancer:nginx"]?.objectValue?["pid_file"]?.stringValue ?? ""
            #expect(pid.contains("runs an nginx master of its own"), "\(reply.text)")
            let timeout = errors?["loadbalancer:haproxy"]?.objectValue?["clitimeout"]?.stringValue ?? ""
            #expect(timeout.contains("set per endpoint"), "\(reply.text)")
        }
    }
}
