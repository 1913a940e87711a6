import HTTPTypes
import Hummingbird
import ReactorCore
import ReactorStore
import Testing

/// Bad requests get a 4xx with a readable JSON message, never a 5xx, and leave ZooKeeper exactly
/// as it was.
@Suite struct HostileInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let method: HTTPRequest.Method
        let path: String
        let body: String?
        let status: HTTPResponse.Status
        var from: String? = nil

        var testDescription: String { label }
    }

    static let longName = String(repeating: "n", count: 256)
    static let cases: [Case] = [
        // Malformed bodies.
        .init(
            label: "malformed JSON config", method: .post, path: "/v1.1/endpoints/new", body: #"{"endpoint": "#,
            status: .badRequest),
        .init(
            label: "JSON config not an object of sections", method: .post, path: "/v1.1/endpoints/new",
            body: #"{"endpoint": 5}"#, status: .badRequest),
        .init(
            label: "nested value in a section", method: .post, path: "/v1.1/endpoints/new",
            body: #"{"endpoint": {"url": [1]}}"#, status: .badRequest),
        .init(
            label: "malformed INI", method: .post, path: "/v1.1/endpoints/new", body: "[endpoint\nurl",
            status: .badRequest),
        .init(
            label: "INI key outside a section", method: .post, path: "/v1.1/endpoints/new", body: "url = x\n",
            status: .badRequest),
        .init(
            label: "INI with NUL and an open section", method: .post, path: "/v1.1/endpoints/new", body: "\u{0}[x",
            status: .badRequest),
        .init(
            label: "unknown section", method: .post, path: "/v1.1/endpoints/new", body: #"{"bogus": {}}"#,
            status: .badRequest),
        .init(
            label: "unknown key", method: .post, path: "/v1.1/endpoints/new", body: #"{"endpoint": {"colour": "red"}}"#,
            status: .badRequest),
        .init(
            label: "unknown cloud driver", method: .post, path: "/v1.1/endpoints/new",
            body: #"{"endpoint": {"cloud": "azure"}}"#, status: .badRequest),
        .init(
            label: "unknown loadbalancer driver", method: .post, path: "/v1.1/endpoints/new",
            body: #"{"endpoint": {"loadbalancer": "f5", "url": "http://a"}}"#, status: .badRequest),
        .init(
            label: "min > max", method: .post, path: "/v1.1/endpoints/new",
            body: #"{"scaling": {"min_instances": 3, "max_instances": 1}}"#, status: .badRequest),
        .init(
            label: "negative count", method: .post, path: "/v1.1/endpoints/new",
            body: #"{"scaling": {"max_instances": -1}}"#, status: .badRequest),
        .init(
            label: "tcp balance out of form", method: .post, path: "/v1.1/endpoints/new",
            body:
                #"{"endpoint": {"url": "tcp://8080", "loadbalancer": "tcp"}, "loadbalancer:tcp": {"balance": "random"}}"#,
            status: .badRequest),
        .init(
            label: "nginx keepalive not a number", method: .post, path: "/v1.1/endpoints/new",
            body: "[endpoint]\nurl = http://a.test\nloadbalancer = nginx\n[loadbalancer:nginx]\nkeepalive = lots\n",
            status: .badRequest),
        .init(
            label: "https with a key but no certificate", method: .post, path: "/v1.1/endpoints/new",
            body:
                #"{"endpoint": {"url": "https://a.test", "loadbalancer": "nginx"}, "loadbalancer:nginx": {"ssl_key": "/etc/ssl/a.key"}}"#,
            status: .badRequest),
        .init(
            label: "haproxy mode unknown", method: .post, path: "/v1.1/endpoints/new",
            body:
                #"{"endpoint": {"url": "tcp://8080", "loadbalancer": "haproxy"}, "loadbalancer:haproxy": {"mode": "udp"}}"#,
            status: .badRequest),
        .init(
            label: "trailing comma in JSON", method: .post, path: "/v1.1/endpoints/new",
            body: #"{"endpoint": {"url": "tcp://8080",}}"#, status: .badRequest),
        .init(
            label: "haproxy url with a path", method: .post, path: "/v1.1/endpoints/new",
            body: #"{"endpoint": {"url": "http://a.test/app", "loadbalancer": "haproxy"}}"#, status: .badRequest),
        .init(
            label: "unknown balancer key", method: .post, path: "/v1.1/endpoints/new",
            body: "[endpoint]\nurl = tcp://8080\nloadbalancer = tcp\n[loadbalancer:tcp]\nbalanse = leastconn\n",
            status: .badRequest),
        .init(
            label: "dnsmasq ttl negative", method: .post, path: "/v1.1/endpoints/new",
            body:
                #"{"endpoint": {"url": "dns://a.test", "loadbalancer": "dnsmasq"}, "loadbalancer:dnsmasq": {"ttl": "-5"}}"#,
            status: .badRequest),
        .init(
            label: "wrong type for a count", method: .post, path: "/v1.1/endpoints/new",
            body: #"{"scaling": {"max_instances": "many"}}"#, status: .badRequest),
        .init(
            label: "unparsable rule", method: .post, path: "/v1.1/endpoints/new",
            body: #"{"scaling": {"rules": "10 <= <= active"}}"#, status: .badRequest),
        .init(
            label: "bad manager config", method: .post, path: "/v1.1/managers/configs/m1",
            body: #"{"manager": {"interval": 0}}"#, status: .badRequest),
        .init(
            label: "unknown manager driver", method: .post, path: "/v1.1/managers/configs/m1",
            body: "[manager]\nclouds = azure\n", status: .badRequest),
        // Invalid names.
        .init(label: "name '.'", method: .post, path: "/v1.1/endpoints/%2E", body: "{}", status: .badRequest),
        .init(label: "name '..'", method: .post, path: "/v1.1/endpoints/%2E%2E", body: "{}", status: .badRequest),
        .init(label: "name with '/'", method: .post, path: "/v1.1/endpoints/a%2Fb", body: "{}", status: .badRequest),
        .init(label: "name with NUL", method: .post, path: "/v1.1/endpoints/a%00b", body: "{}", status: .badRequest),
        .init(
            label: "name with newline", method: .post, path: "/v1.1/endpoints/a%0Ab", body: "{}", status: .badRequest),
        .init(
            label: "name over 255 bytes", method: .post, path: "/v1.1/endpoints/\(longName)", body: "{}",
            status: .badRequest),
        .init(
            label: "invalid percent-encoding", method: .post, path: "/v1.1/endpoints/a%ZZ", body: "{}",
            status: .badRequest),
        .init(
            label: "empty alias", method: .post, path: "/v1.1/endpoints/demo/alias", body: #""""#, status: .badRequest),
        .init(
            label: "alias '..'", method: .post, path: "/v1.1/endpoints/demo/alias", body: #"".."""#, status: .badRequest
        ),
        .init(
            label: "alias not a string", method: .post, path: "/v1.1/endpoints/demo/alias", body: #"{"name": "x"}"#,
            status: .badRequest),
        .init(
            label: "manager name with control char", method: .post, path: "/v1.1/managers/configs/m%07", body: "{}",
            status: .badRequest),
        .init(
            label: "instance id '..'", method: .post, path: "/v1.1/endpoints/demo/instances/%2E%2E", body: nil,
            status: .badRequest),
        .init(
            label: "session with '/'", method: .delete, path: "/v1.1/endpoints/demo/sessions/a%2Fb", body: nil,
            status: .badRequest),
        // Metrics.
        .init(
            label: "metric value not numeric", method: .post, path: "/v1.1/endpoints/demo/metrics/10.0.0.1",
            body: #"{"m": [1, "x"]}"#, status: .badRequest),
        .init(
            label: "metric NaN", method: .post, path: "/v1.1/endpoints/demo/metrics/10.0.0.1",
            body: #"{"m": [1, NaN]}"#, status: .badRequest),
        .init(
            label: "metric Infinity", method: .post, path: "/v1.1/endpoints/demo/metrics",
            body: #"{"m": [1, Infinity]}"#, status: .badRequest),
        .init(
            label: "metric overflowing to infinity", method: .post, path: "/v1.1/endpoints/demo/metrics",
            body: #"{"m": [1, 1e999]}"#, status: .badRequest),
        .init(
            label: "metric weight zero", method: .post, path: "/v1.1/endpoints/demo/metrics", body: #"{"m": [0, 1]}"#,
            status: .badRequest),
        .init(
            label: "metric not a pair", method: .post, path: "/v1.1/endpoints/demo/metrics", body: #"{"m": [1, 2, 3]}"#,
            status: .badRequest),
        .init(
            label: "metrics not an object", method: .post, path: "/v1.1/endpoints/demo/metrics", body: #"[1, 2]"#,
            status: .badRequest),
        .init(
            label: "metrics for a bad IP", method: .post, path: "/v1.1/endpoints/demo/metrics/999.1.1.1",
            body: #"{"m": [1, 2]}"#, status: .badRequest),
        .init(
            label: "implicit metrics from a stranger", method: .post, path: "/v1.1/endpoint/metrics",
            body: #"{"m": [1, 2]}"#, status: .notFound, from: "10.9.9.9"),
        // State and other bodies.
        .init(
            label: "unknown action", method: .post, path: "/v1.1/endpoints/demo/state", body: #"{"action": "explode"}"#,
            status: .badRequest),
        .init(
            label: "action wrong type", method: .post, path: "/v1.1/endpoints/demo/state", body: #"{"action": 1}"#,
            status: .badRequest),
        .init(
            label: "state body empty", method: .post, path: "/v1.1/endpoints/demo/state", body: nil, status: .badRequest
        ),
        .init(
            label: "log not a string", method: .post, path: "/v1.1/endpoints/demo/log", body: "42", status: .badRequest),
        .init(
            label: "log since not a number", method: .get, path: "/v1.1/endpoints/demo/log?since=yesterday", body: nil,
            status: .badRequest),
        .init(
            label: "log since infinite", method: .get, path: "/v1.1/endpoints/demo/log?since=inf", body: nil,
            status: .badRequest),
        .init(
            label: "auth_key wrong type", method: .post, path: "/v1.1/auth_key", body: #"{"auth_key": 5}"#,
            status: .badRequest),
        .init(
            label: "auth_key body malformed", method: .post, path: "/v1.1/auth_key", body: "auth_key=bar",
            status: .badRequest),
        .init(
            label: "url not a URL", method: .post, path: "/v1.1/url", body: #"{"url": "ftp//x"}"#, status: .badRequest),
        .init(
            label: "register a bad IP", method: .post, path: "/v1.1/register/10.0.0.01", body: nil, status: .badRequest),
        .init(
            label: "forwarded-for junk", method: .post, path: "/v1.1/register", body: nil, status: .badRequest,
            from: "not-an-ip"),
        // Unknown things.
        .init(
            label: "unknown endpoint", method: .post, path: "/v1.1/endpoints/ghost/state",
            body: #"{"action": "start"}"#, status: .notFound),
        .init(
            label: "alias of unknown endpoint", method: .post, path: "/v1.1/endpoints/ghost/alias", body: #""g2""#,
            status: .notFound),
        .init(label: "put over existing", method: .put, path: "/v1.1/endpoints/demo", body: "{}", status: .conflict),
        .init(
            label: "delete unknown manager config", method: .delete, path: "/v1.1/managers/configs/ghost", body: nil,
            status: .notFound),
        .init(
            label: "wrong method", method: .patch, path: "/v1.1/endpoints/demo/state", body: nil,
            status: .methodNotAllowed),
    ]

    @Test(arguments: cases) func isRefusedAndChangesNothing(_ hostile: Case) async throws {
        try await withAPI("hostile") { api in
            try await api.makeEndpoint("demo", confirming: ["10.0.0.9"])
            let before = try await api.snapshot()
            let reply =
                if let from = hostile.from {
                    try await api.request(hostile.method, hostile.path, from: from, body: hostile.body)
                } else {
                    try await api.request(hostile.method, hostile.path, body: hostile.body)
                }
            #expect(reply.status == hostile.status, "\(hostile.label): got \(reply.status) \(reply.text)")
            #expect(reply.status.code < 500)
            let body = reply.json?.objectValue
            #expect(body?.isEmpty == false, "\(hostile.label): expected a JSON error body, got \(reply.text)")
            if reply.status != .badRequest || body?["message"] != nil {
                #expect(reply.message?.isEmpty == false, "\(hostile.label): expected a message, got \(reply.text)")
            }
            #expect(try await api.snapshot() == before, "\(hostile.label): ZooKeeper changed")
        }
    }

    @Test func balancerSettingsErrorsNameTheSectionAndKey() async throws {
        try await withAPI { api in
            let reply = try await api.request(
                .post, "/v1.1/endpoints/new",
                body:
                    #"{"endpoint": {"url": "tcp://8080", "loadbalancer": "tcp"}, "loadbalancer:tcp": {"hold_timeout": "soon"}}"#
            )
            #expect(reply.status == .badRequest)
            let message = reply.json?.objectValue?["loadbalancer:tcp"]?.objectValue?["hold_timeout"]?.stringValue
            #expect(message?.contains("'soon': expected") == true, "per-field message: \(reply.text)")
        }
    }

    @Test func bodiesOverOneMebibyteAre413() async throws {
        try await withAPI { api in
            try await api.makeEndpoint("demo")
            let before = try await api.snapshot()
            let huge = #"{"endpoint": {"url": "http://a/"# + String(repeating: "x", count: 1 << 20) + #""}}"#
            for path in ["/v1.1/endpoints/demo", "/v1.1/endpoints/demo/metrics", "/v1.1/managers/configs/m"] {
                let reply = try await api.request(.post, path, body: huge)
                #expect(reply.status == .contentTooLarge, "\(path): \(reply.status) \(reply.text.prefix(200))")
                #expect(reply.message?.contains("larger than") == true)
            }
            #expect(try await api.snapshot() == before)
        }
    }
}
