import HTTPTypes
import Hummingbird
import ReactorCore
import ReactorStore
import Testing

@testable import ReactorAPI

@Suite struct AuthTests {
    @Test func adminKeyProtectsAdminRoutes() async throws {
        try await withAPI { api in
            #expect(try await api.request(.get, "/v1.1/endpoints").status == .ok, "no key set: open")
            #expect(try await api.request(.post, "/v1.1/auth_key", body: #"{"auth_key": "bar"}"#).status == .ok)
            let stored = try await api.zk.get(ZNodeLayout.auth).string
            #expect(!stored.contains("bar"), "only a salted hash is stored, got \(stored)")

            let denied = try await api.request(.get, "/v1.1/endpoints")
            #expect(denied.status == .unauthorized)
            #expect(denied.text == "unauthorized", "the document's 401 body")
            #expect(try await api.request(.get, "/v1.1/endpoints", headers: .authKey("baz")).status == .unauthorized)
            #expect(try await api.request(.get, "/v1.1/endpoints", headers: .authKey("bar")).json == [])
            #expect(try await api.request(.get, "/v1.1/endpoints?auth_key=bar").json == [])
            #expect(try await api.request(.get, "/v1.0/endpoints?auth_key=bar").status == .ok)
            #expect(try await api.request(.get, "/").status == .ok, "the version stays public")
            #expect(
                try await api.request(.post, "/v1.1/auth_key", body: #"{"auth_key": "new"}"#).status == .unauthorized,
                "changing the key needs the key")
            #expect(
                try await api.request(.post, "/v1.1/auth_key", body: #"{"auth_key": null}"#, headers: .authKey("bar"))
                    .status == .ok)
            #expect(try await api.request(.get, "/v1.1/endpoints").status == .ok, "key removed: open again")
        }
    }

    @Test func aDamagedAdminKeyRefusesRatherThanOpens() async throws {
        try await withAPI { api in
            _ = try? await api.zk.create(ZNodeLayout.auth, data: [])
            for damaged in [#""not-a-hash""#, "garbage{", #"{"key": 1}"#, "sha256$$short"] {
                try await api.zk.set(ZNodeLayout.auth, data: Array(damaged.utf8))
                let denied = try await api.request(.get, "/v1.1/endpoints", headers: .authKey(""))
                #expect(denied.status == .unauthorized, "stored \(damaged): admin routes stay closed")
                #expect(try await api.request(.get, "/v1.1/endpoints").status == .unauthorized)
            }
            try await api.zk.set(ZNodeLayout.auth, data: [])
            let empty = try await api.request(.get, "/v1.1/endpoints")
            #expect(empty.status == .unauthorized, "an empty node is a damaged key, not an open API")
            #expect(empty.text.contains("/reactor/auth"), "the answer says what to repair: \(empty.text)")
        }
    }

    @Test(arguments: AuthAlgorithm.allCases) func endpointKeysOpenOnlyTheirEndpoint(_ algorithm: AuthAlgorithm)
        async throws
    {
        try await withAPI("endpointKeys-\(algorithm)") { api in
            let config =
                algorithm == .pbkdf2SHA256
                ? #"{"endpoint": {"auth_hash": "\#(AdminKeyHash(key: "epkey", iterations: 1000).stored)", "auth_algo": "pbkdf2-sha256"}}"#
                : #"{"endpoint": {"auth_hash": "\#(KeyDigest.hex(algorithm, of: "pepper" + "epkey"))", "auth_salt": "pepper", "auth_algo": "\#(algorithm)"}}"#
            try await api.makeEndpoint("secure", config: config, confirming: ["10.0.0.9"])
            try await api.makeEndpoint("plain")
            try await api.request(.post, "/v1.1/auth_key", body: #"{"auth_key": "admin"}"#)

            #expect(try await api.request(.get, "/v1.1/endpoints/secure/state").status == .unauthorized)
            #expect(
                try await api.request(.get, "/v1.1/endpoints/secure/state", headers: .authKey("epkey")).status == .ok)
            #expect(
                try await api.request(.get, "/v1.1/endpoints/secure/state", headers: .authKey("admin")).status == .ok)
            #expect(
                try await api.request(.get, "/v1.1/endpoint/metrics?auth_key=epkey", from: "10.0.0.9").status == .ok,
                "implicit route with the endpoint's key")
            #expect(try await api.request(.get, "/v1.1/endpoint/metrics", from: "10.0.0.9").status == .unauthorized)
            #expect(
                try await api.request(.get, "/v1.1/endpoints/plain/state", headers: .authKey("epkey")).status
                    == .unauthorized, "an endpoint key opens only its endpoint")
            #expect(
                try await api.request(.get, "/v1.1/endpoints", headers: .authKey("epkey")).status == .unauthorized,
                "an endpoint key is not an admin key")
            #expect(try await api.request(.post, "/v1.1/register", from: "10.0.0.50").status == .ok, "register is open")
        }
    }

    /// The caller's address as text, through `CallerAddress`'s pure decision.
    private func caller(_ remote: IPAddress?, _ forwardedFor: String?, trusted: Set<IPAddress> = []) throws -> String {
        try CallerAddress.resolve(remote: remote, forwardedFor: forwardedFor, trustedProxies: trusted).description
    }

    @Test func forwardedForIsTrustedOnlyFromTrustedProxiesOrManagers() throws {
        let local = IPAddress("127.0.0.1")!
        let manager = IPAddress("10.1.0.1")!
        let stranger = IPAddress("10.2.0.1")
        #expect(try caller(local, "10.0.0.9", trusted: [local]) == "10.0.0.9")
        #expect(try caller(IPAddress("::1"), "1.1.1.1, 10.0.0.9", trusted: [IPAddress("::1")!]) == "10.0.0.9")
        #expect(try caller(manager, "10.0.0.9", trusted: [manager]) == "10.0.0.9")
        #expect(try caller(stranger, "10.0.0.9", trusted: [manager]) == "10.2.0.1")
        #expect(try caller(IPAddress("::ffff:10.1.0.1"), "10.0.0.9", trusted: [manager]) == "10.0.0.9")
        #expect(try caller(stranger, nil, trusted: []) == "10.2.0.1")
        // An instance of the loopback pool is not a proxy: it cannot speak for another instance.
        #expect(try caller(IPAddress("127.0.1.5"), "127.0.1.6", trusted: [local]) == "127.0.1.5")
        #expect(throws: APIError.self) { try caller(local, "junk", trusted: [local]) }
    }

    @Test func trustedProxyBlocksParseAndMatch() throws {
        #expect(IPBlock.localHost.map(\.description) == ["127.0.0.1/32", "::1/128"])
        #expect(!IPBlock.localHost.contains { $0.contains(IPAddress("127.0.1.5")!) })
        let block = try #require(IPBlock("10.20.30.40/16"))
        #expect(block.description == "10.20.0.0/16")
        #expect(block.contains(IPAddress("10.20.255.1")!))
        #expect(!block.contains(IPAddress("10.21.0.1")!))
        #expect(!block.contains(IPAddress("::1")!))
        let v6 = try #require(IPBlock("fd00::/8"))
        #expect(v6.contains(IPAddress("fdab::1")!))
        #expect(!v6.contains(IPAddress("fe80::1")!))
        #expect(IPBlock("10.0.0.1")?.description == "10.0.0.1/32")
        for bad in ["10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "::/129", "x/8", "10.0.0.0/8/1", "10.0.0.0/-1"] {
            #expect(IPBlock(bad) == nil, "\(bad)")
        }
    }

    @Test func keylessRegistrationsAreLimitedPerSource() {
        let limiter = SourceRateLimiter(perSecond: 1, burst: 3)
        let start = ContinuousClock.now
        #expect((0..<3).allSatisfy { _ in limiter.allow("10.0.0.1", now: start) })
        #expect(!limiter.allow("10.0.0.1", now: start), "the burst is spent")
        #expect(limiter.allow("10.0.0.2", now: start), "another source has its own budget")
        #expect(limiter.allow("10.0.0.1", now: start + .seconds(1)), "a second brings one more")
        #expect(!limiter.allow("10.0.0.1", now: start + .seconds(1)))
    }
}
