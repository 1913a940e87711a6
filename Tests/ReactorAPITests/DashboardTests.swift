import Foundation
import HTTPTypes
import Hummingbird
import ReactorCore
import Testing

@testable import ReactorAPI

@Suite struct DashboardTests {
    static let browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"

    static func accept(_ value: String) -> HTTPFields {
        [.accept: value]
    }

    @Test func theEmbeddedFilesAreTheDashboardFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../dashboard").standardized
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        let embedded = DashboardAssets.embedded.files
        #expect(Set(names) == Set(embedded.keys), "run scripts/embed-dashboard: the embedded file names differ")
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            #expect(
                embedded[name]?.bytes == bytes, "run scripts/embed-dashboard: \(name) changed since it was embedded")
        }
    }

    @Test func aBrowserGetsTheDashboardOnRoot() async throws {
        try await withAPI { api in
            let page = try await api.request(.get, "/", headers: Self.accept(Self.browserAccept))
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains(#"<script type="module" src="/dashboard/app.js">"#), "the page: \(page.text)")
            let policy = page.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
            #expect(policy.hasPrefix("default-src 'self'"), "a strict policy, got \(policy)")
            #expect(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"))
            #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
        }
    }

    @Test func jsonClientsKeepTheAPIAnswers() async throws {
        try await withAPI { api in
            for accept in [
                "application/json", "*/*", "application/json, text/html", "text/html;q=0.5, application/json",
            ] {
                let reply = try await api.request(.get, "/", headers: Self.accept(accept))
                #expect(reply.json == ["version": "1.1"], "Accept: \(accept) keeps the version answer: \(reply.text)")
            }
            #expect(try await api.request(.get, "/").json == ["version": "1.1"], "no Accept: JSON")
            let list = try await api.request(.get, "/v1.1/endpoints", headers: Self.accept("application/json"))
            #expect(list.json == [], "JSON clients get JSON: \(list.text)")
        }
    }

    @Test func aBrowserOnAnAPIPathIsSentToTheDashboardPage() async throws {
        try await withAPI { api in
            let cases = [
                "/v1.1/endpoints": "/#/endpoints", "/v1.1/endpoints/web/log": "/#/endpoints/web",
                "/v1.0/managers/active": "/#/managers", "/v1.1/info": "/#/",
            ]
            for (path, page) in cases {
                let reply = try await api.request(.get, path, headers: Self.accept(Self.browserAccept))
                #expect(reply.status == .seeOther, "\(path): \(reply.status)")
                #expect(reply.headers[.location] == page, "\(path) shows \(page)")
            }
            let odd = try await api.request(
                .get, "/v1.1/endpoints/a%0d%0aSet-Cookie:x", headers: Self.accept(Self.browserAccept))
            #expect(odd.headers[.location] == nil, "names with unsafe characters are not carried into Location")
            #expect(DashboardMiddleware.page(for: "/v1.1/endpoints/we<b>") == nil)
            let url = try await api.request(.get, "/v1.1/url", headers: Self.accept(Self.browserAccept))
            #expect(url.json == ["url": .null], "paths the dashboard has no page for answer as usual: \(url.text)")
        }
    }

    @Test func staticFilesHaveTheirTypesAndEntityTags() async throws {
        try await withAPI { api in
            let types = [
                "app.js": "text/javascript; charset=utf-8", "style.css": "text/css; charset=utf-8",
                "index.html": "text/html; charset=utf-8",
            ]
            for (name, type) in types {
                let reply = try await api.request(.get, "/dashboard/\(name)")
                #expect(reply.status == .ok, "\(name): \(reply.status)")
                #expect(reply.headers[.contentType] == type, "\(name) is served as \(type)")
                #expect(reply.headers[.cacheControl] == "no-cache")
                #expect(reply.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                let tag = try #require(reply.headers[.eTag], "\(name) has an ETag")
                let again = try await api.request(.get, "/dashboard/\(name)", headers: [.ifNoneMatch: tag])
                #expect(again.status == .notModified, "\(name) with If-None-Match: \(again.status)")
                #expect(again.text.isEmpty)
            }
            let missing = try await api.request(.get, "/dashboard/nothing.js")
            #expect(missing.status == .notFound)
            #expect(missing.message?.contains("nothing.js") == true, "a JSON 404 naming the file: \(missing.text)")
        }
    }

    @Test func noDashboardFileWritesHTMLFromData() throws {
        for (name, file) in DashboardAssets.embedded.files where name.hasSuffix(".js") {
            let text = String(decoding: file.bytes, as: UTF8.self)
            for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("] {
                #expect(!text.contains(sink), "\(name) uses \(sink): values from the API must go in as text")
            }
        }
    }

    @Test(arguments: [
        ("text/html", true), ("application/json", false), ("*/*", false), ("", false),
        ("text/html;q=0.9, application/json;q=0.8", true), ("text/*, application/json;q=0.1", true),
        ("application/json;q=1, text/html;q=1", false), ("text/html;q=0", false),
    ])
    func acceptRanking(_ accept: String, _ html: Bool) {
        #expect(AcceptHeader.prefersHTML(accept.isEmpty ? [] : [accept]) == html, "Accept: \(accept)")
    }
}
