import Foundation
import ReactorCore
import Testing

/// The JSON text of `text`, quoted and escaped.
func jsonQuoted(_ text: String) -> String { String(decoding: JSONValue.string(text).encoded(), as: UTF8.self) }

/// Values that land in a balancer's configuration file or in an HTTP answer are checked for the
/// syntax they land in (issue 11, point 5): the API answers 400 naming the field.
@Suite struct InjectionTests {
    @Test(arguments: [
        // (config, section, key)
        (
            #"{"endpoint": {"redirect": \#(jsonQuoted("https://a.example/\r\nSet-Cookie: x=1"))}}"#, "endpoint",
            "redirect"
        ),
        (#"{"endpoint": {"redirect": \#(jsonQuoted("https://a.example/\nx"))}}"#, "endpoint", "redirect"),
        (#"{"endpoint": {"redirect": "https://a.example/\"; include /etc/passwd; \""}}"#, "endpoint", "redirect"),
        (#"{"endpoint": {"redirect": "https://a.example/$host"}}"#, "endpoint", "redirect"),
        (
            #"{"endpoint": {"url": "http://a.example/x\";}", "loadbalancer": "nginx", "port": "80"}}"#, "endpoint",
            "url"
        ),
        (#"{"endpoint": {"url": "http://a.example/a b", "loadbalancer": "nginx", "port": "80"}}"#, "endpoint", "url"),
        (
            #"{"endpoint": {"url": "http://a.example/", "loadbalancer": "haproxy", "port": "80", "redirect": "https://b.example/%[src]"}}"#,
            "endpoint", "redirect"
        ),
        (
            #"{"endpoint": {"url": "http://a.example/", "loadbalancer": "haproxy", "port": "80"}, "loadbalancer:haproxy": {"check_url": "/h%[src]"}}"#,
            "loadbalancer:haproxy", "check_url"
        ),
        (#"{"cloud:process": {"command": \#(jsonQuoted("true\nrm -rf /"))}}"#, "cloud:process", "command"),
        (#"{"loadbalancer:nginx": {"ssl_key": \#(jsonQuoted("/k\r\n"))}}"#, "loadbalancer:nginx", "ssl_key"),
    ])
    func aValueThatWouldBreakWhereItLandsIsRefusedByField(config: String, section: String, key: String)
        async throws
    {
        try await withAPI("injection") { api in
            let reply = try await api.request(.post, "/v1.1/endpoints/inject", body: config)
            #expect(reply.status == .badRequest, "refused: \(config) → \(reply.text)")
            let message = reply.json?.objectValue?[section]?.objectValue?[key]?.stringValue
            #expect(message != nil, "the answer names \(section).\(key): \(reply.text)")
            #expect(try await api.request(.get, "/v1.1/endpoints/inject").status == .notFound, "nothing stored")
        }
    }

    @Test func percentIsFineWhereItMeansNothing() async throws {
        try await withAPI { api in
            let nginx =
                #"{"endpoint": {"url": "http://a.example/", "loadbalancer": "nginx", "port": "80", "redirect": "https://b.example/a%20b"}}"#
            let reply = try await api.request(.post, "/v1.1/endpoints/fine", body: nginx)
            #expect(reply.status == .ok, "nginx takes a percent-encoded redirect: \(reply.text)")
        }
    }

    @Test func aManagerConfigurationWithALineBreakIsRefused() async throws {
        try await withAPI { api in
            let body = #"{"manager": {"loadbalancers": \#(jsonQuoted("tcp\nnginx"))}}"#
            let reply = try await api.request(.post, "/v1.1/managers/configs/m1", body: body)
            #expect(reply.status == .badRequest, "refused: \(reply.text)")
            #expect(
                reply.json?.objectValue?["manager"]?.objectValue?["loadbalancers"] != nil, "by field: \(reply.text)")
        }
    }

    @Test func valueSyntaxNamesWhatItRefuses() {
        #expect(ValueSyntax.redirectProblem("https://a.example/ok?x=1&y=%41") == nil)
        #expect(ValueSyntax.redirectProblem("https://a.example/\r\n") != nil)
        #expect(ValueSyntax.pathProblem("/api/v1") == nil)
        #expect(ValueSyntax.pathProblem("/a;b")?.contains("';'") == true)
        #expect(ValueSyntax.hasControlCharacter("a\u{7F}") && !ValueSyntax.hasControlCharacter("plain"))
    }
}
