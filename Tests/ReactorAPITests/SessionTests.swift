import Foundation
import HTTPTypes
import Hummingbird
import ReactorCore
import ReactorStore
import Testing

@testable import ReactorAPI

@Suite struct SessionTests {
    static let csrf: HTTPFields = [HTTPField.Name("X-Reactor-Dashboard")!: "1"]

    static func cookie(_ token: String, csrf: Bool = false) -> HTTPFields {
        var fields: HTTPFields = [.cookie: "other=1; reactor_session=\(token)"]
        if csrf { fields[HTTPField.Name("X-Reactor-Dashboard")!] = "1" }
        return fields
    }

    /// Sets the admin key through the API and waits (up to 10 s) until the API's read cache has it.
    static func setKey(_ api: APIHarness, _ key: String, current: String? = nil) async throws {
        let reply = try await api.request(
            .post, "/v1.1/auth_key", body: #"{"auth_key": "\#(key)"}"#, headers: current.map { .authKey($0) } ?? [:])
        #expect(reply.status == .ok, "setting the key: \(reply.text)")
        let deadline = ContinuousClock.now + .seconds(10)
        while try await api.request(.get, "/v1.1/info").status != .unauthorized, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Signs in with `key` and returns the cookie's token.
    static func signIn(_ api: APIHarness, key: String) async throws -> String {
        let reply = try await api.request(.post, "/v1.1/login", body: #"{"auth_key": "\#(key)"}"#)
        #expect(reply.status == .ok, "signing in: \(reply.text)")
        let cookie = try #require(reply.headers[.setCookie], "login sets a cookie")
        let value = try #require(cookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last)
        return String(value)
    }

    @Test func loginSetsAnHttpOnlyStrictCookieThatIsNotTheKey() async throws {
        try await withAPI { api in
            try await Self.setKey(api, "sesame")
            let reply = try await api.request(.post, "/v1.1/login", body: #"{"auth_key": "sesame"}"#)
            #expect(reply.status == .ok, "\(reply.text)")
            let cookie = try #require(reply.headers[.setCookie])
            #expect(cookie.hasPrefix("reactor_session="), "\(cookie)")
            for flag in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
                #expect(cookie.contains(flag), "the cookie has \(flag): \(cookie)")
            }
            #expect(!cookie.contains("Secure"), "plain HTTP: no Secure flag (it would never be sent back)")
            #expect(!cookie.contains("sesame"), "the cookie is not the key: \(cookie)")
            #expect(reply.headers[.cacheControl] == "no-store")
            let expires = try #require(reply.json?.objectValue?["expires"]?.numberValue)
            #expect(abs(expires - Date().timeIntervalSince1970 - 43200) < 60, "expires in 12 h: \(expires)")
            #expect(SessionCookie.setting("t", maxAge: 1, secure: true).hasSuffix("; Secure"), "Secure under TLS")
            let proxied = try await api.request(
                .post, "/v1.1/login", body: #"{"auth_key": "sesame"}"#,
                headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(
                proxied.headers[.setCookie]?.hasSuffix("; Secure") == true,
                "HTTPS at the trusted front (loopback): Secure")
        }
    }

    @Test func loginRefusesWrongKeysAndBadBodies() async throws {
        try await withAPI { api in
            let open = try await api.request(.post, "/v1.1/login", body: #"{"auth_key": "x"}"#)
            #expect(open.status == .conflict, "no admin key set: nothing to sign in to (\(open.text))")
            try await Self.setKey(api, "sesame")
            let wrong = try await api.request(.post, "/v1.1/login", body: #"{"auth_key": "sesam"}"#)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie] == nil, "no cookie for a wrong key")
            for body in ["", "[]", #"{"auth_key": 3}"#, #"{"key": "sesame"}"#, #"{"auth_key": ""}"#, "{"] {
                let bad = try await api.request(.post, "/v1.1/login", body: body)
                #expect(bad.status == .badRequest, "body \(body): \(bad.status) \(bad.text)")
                #expect(bad.message != nil, "a JSON message for \(body)")
            }
        }
    }

    @Test func theCookieOpensAdminAndEndpointRoutes() async throws {
        try await withAPI { api in
            try await api.makeEndpoint("web")
            try await Self.setKey(api, "sesame")
            let token = try await Self.signIn(api, key: "sesame")
            #expect(try await api.request(.get, "/v1.1/endpoints", headers: Self.cookie(token)).json == strings("web"))
            #expect(try await api.request(.get, "/v1.1/endpoints/web/state", headers: Self.cookie(token)).status == .ok)
            #expect(try await api.request(.get, "/v1.1/info", headers: Self.cookie("1.2.3")).status == .unauthorized)
            #expect(try await api.request(.get, "/v1.1/endpoints").status == .unauthorized, "no cookie, no key")
            let tampered = token.dropLast(2) + (token.hasSuffix("AA") ? "BB" : "AA")
            #expect(
                try await api.request(.get, "/v1.1/endpoints", headers: Self.cookie(String(tampered))).status
                    == .unauthorized, "a changed signature is refused")
        }
    }

    @Test func cookieRequestsThatChangeStateNeedTheCSRFHeader() async throws {
        try await withAPI { api in
            try await api.makeEndpoint("web")
            try await Self.setKey(api, "sesame")
            let token = try await Self.signIn(api, key: "sesame")
            let body = #"{"action": "start"}"#
            let refused = try await api.request(
                .post, "/v1.1/endpoints/web/state", body: body, headers: Self.cookie(token))
            #expect(refused.status == .forbidden, "no CSRF header: \(refused.status)")
            #expect(refused.message?.contains("X-Reactor-Dashboard") == true, "says which header: \(refused.text)")
            let deleted = try await api.request(.delete, "/v1.1/endpoints/web", headers: Self.cookie(token))
            #expect(deleted.status == .forbidden, "an admin route too")
            let accepted = try await api.request(
                .post, "/v1.1/endpoints/web/state", body: body, headers: Self.cookie(token, csrf: true))
            #expect(accepted.status == .ok, "\(accepted.text)")
            #expect(
                try await api.request(.post, "/v1.1/endpoints/web/state", body: body, headers: .authKey("sesame"))
                    .status == .ok, "the key needs no CSRF header")
        }
    }

    @Test func aNewAdminKeyEndsEverySignIn() async throws {
        try await withAPI { api in
            try await Self.setKey(api, "sesame")
            let token = try await Self.signIn(api, key: "sesame")
            #expect(try await api.request(.get, "/v1.1/info", headers: Self.cookie(token)).status == .ok)
            // The same key again: a new salt, so a new stored hash.
            #expect(
                try await api.request(
                    .post, "/v1.1/auth_key", body: #"{"auth_key": "sesame"}"#, headers: .authKey("sesame")
                )
                .status == .ok)
            let deadline = ContinuousClock.now + .seconds(10)
            var status = HTTPResponse.Status.ok
            while status != .unauthorized, ContinuousClock.now < deadline {
                status = try await api.request(.get, "/v1.1/info", headers: Self.cookie(token)).status
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(status == .unauthorized, "the old sign-in is refused once the new key is read")
        }
    }

    @Test func logoutClearsTheCookie() async throws {
        try await withAPI { api in
            let reply = try await api.request(.post, "/v1.1/logout")
            #expect(reply.status == .ok)
            let cookie = try #require(reply.headers[.setCookie])
            #expect(cookie.hasPrefix("reactor_session=;") && cookie.contains("Max-Age=0"), "\(cookie)")
        }
    }

    @Test func tokensExpireAndAreBoundToTheStoredKey() throws {
        let admin = AdminKeyHash(key: "sesame", iterations: 1000)
        let now = Date()
        let (token, _) = SessionToken.make(admin: admin, now: now)
        #expect(SessionToken.verifies(token, admin: admin, now: now))
        #expect(!SessionToken.verifies(token, admin: admin, now: now + SessionToken.lifetime + 1), "expired")
        #expect(!SessionToken.verifies(token, admin: AdminKeyHash(key: "sesame", iterations: 1000), now: now))
        #expect(!SessionToken.verifies(token, admin: .unusable, now: now))
        let far = "\(Int(now.timeIntervalSince1970) + 10 * 86400).\(String(repeating: "0", count: 32)).x"
        #expect(!SessionToken.verifies(far, admin: admin, now: now), "a token living longer than a sign-in")
        for junk in ["", "a.b.c", "1.2", "...."] {
            #expect(!SessionToken.verifies(junk, admin: admin, now: now), "junk \(junk)")
        }
    }

    @Test func keptAnswersAreNotGivenToRequestsWithoutTheCookie() async throws {
        try await withAPI { api in
            try await api.makeEndpoint("web")
            try await Self.setKey(api, "sesame")
            let token = try await Self.signIn(api, key: "sesame")
            for _ in 0..<3 {
                #expect(
                    try await api.request(.get, "/v1.1/endpoints/web/state", headers: Self.cookie(token)).status == .ok)
                #expect(try await api.request(.get, "/v1.1/endpoints/web/state").status == .unauthorized)
            }
        }
    }
}
