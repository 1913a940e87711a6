import Foundation
import HTTPTypes
import ReactorCore
import Testing
import ZooKeeper
import ZooKeeperTesting

@testable import ReactorStore

/// Keys under a slow KDF (issue 11, point 2): PBKDF2-SHA256 from swift-crypto, parameters in the
/// stored string, verification cached, the original Reactor's form accepted and upgraded.
@Suite struct KeyDerivationTests {
    @Test func theAdminKeyIsStoredAsAPBKDF2Derivation() async throws {
        try await withAPI { api in
            #expect(try await api.request(.post, "/v1.1/auth_key", body: #"{"auth_key": "bar"}"#).status == .ok)
            let stored = try await api.zk.get(ZNodeLayout.auth).string
            let value = try #require(JSONValue(parsing: stored).stringValue, "a JSON string: \(stored)")
            let parts = value.split(separator: "$")
            #expect(parts.count == 4 && parts[0] == "pbkdf2-sha256" && parts[1] == "600000", "got \(value)")
            #expect(parts.count == 4 && Data(base64Encoded: String(parts[3]))?.count == 32, "a 32-byte derivation")
            #expect(try await api.request(.get, "/v1.1/endpoints", headers: .authKey("bar")).status == .ok)
            #expect(try await api.request(.get, "/v1.1/endpoints", headers: .authKey("baz")).status == .unauthorized)
        }
    }

    @Test func theOriginalReactorsStoredFormIsAcceptedAndUpgraded() async throws {
        try await withAPI { api in
            // The original Reactor: a JSON string of hex(sha1("gridcentricreactor" + key)).
            let original = KeyDigest.hex(.sha1, of: "gridcentricreactor" + "legacy-key")
            try await api.zk.create(ZNodeLayout.auth, data: Array(JSONValue.string(original).encoded()))
            try await eventually("the API reads the original form") {
                try await api.request(.get, "/v1.1/endpoints").status == .unauthorized
            }
            #expect(try await api.request(.get, "/v1.1/endpoints", headers: .authKey("wrong")).status == .unauthorized)
            #expect(
                try await api.request(.get, "/v1.1/endpoints", headers: .authKey("legacy-key")).status == .ok,
                "the original key still opens admin routes")
            let upgraded = try await api.zk.get(ZNodeLayout.auth).string
            #expect(upgraded.contains("pbkdf2-sha256$600000$"), "rewritten on first use: \(upgraded)")
            #expect(!upgraded.contains(original))
            try await eventually("the upgraded key still opens admin routes") {
                try await api.request(.get, "/v1.1/endpoints", headers: .authKey("legacy-key")).status == .ok
            }
            #expect(try await api.request(.get, "/v1.1/endpoints", headers: .authKey("wrong")).status == .unauthorized)
        }
    }

    @Test func aVerifiedKeyCostsNoDerivationAfterTheFirst() throws {
        let hash = AdminKeyHash(key: "timed", iterations: AdminKeyHash.defaultIterations)
        let reread = try #require(AdminKeyHash(stored: hash.stored))
        let clock = ContinuousClock()
        // Each key is derived once (a wrong one too), then answered from the cache.
        var outcomes: [Bool] = []
        let firstRight = clock.measure { outcomes.append(reread.verifies("timed")) }
        let firstWrong = clock.measure { outcomes.append(reread.verifies("not-it")) }
        let later = clock.measure {
            for _ in 0..<100 {
                outcomes.append(reread.verifies("timed"))
                outcomes.append(reread.verifies("not-it"))
            }
        }
        #expect(outcomes == [true, false] + Array(repeating: [true, false], count: 100).flatMap { $0 })
        let first = min(firstRight, firstWrong)
        #expect(later < first, "200 cached checks (\(later)) cost less than one derivation (\(first))")
    }

    @Test func theVerificationCacheIsBounded() {
        let cache = KeyVerificationCache()
        for index in 0..<(KeyVerificationCache.capacity * 3) {
            cache.remember(true, for: KeyVerificationCache.entry(stored: "s", key: "\(index)"))
        }
        #expect(cache.count <= KeyVerificationCache.capacity)
        #expect(
            cache.result(for: KeyVerificationCache.entry(stored: "s", key: "\(KeyVerificationCache.capacity * 3 - 1)"))
                == true)
    }

    @Test func olderAndDamagedFormsAreReadAsTheyShould() throws {
        let original = try #require(AdminKeyHash(stored: KeyDigest.hex(.sha1, of: "gridcentricreactor" + "k")))
        #expect(original.verifies("k") && original.needsUpgrade)
        let salted = try #require(AdminKeyHash(stored: "sha256$pepper$" + KeyDigest.hex(.sha256, of: "pepper" + "k")))
        #expect(salted.verifies("k") && salted.needsUpgrade)
        for damaged in ["", "pbkdf2-sha256$10$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==", "pbkdf2-sha256$x$y$z", "abc"] {
            #expect(AdminKeyHash(stored: damaged) == nil, "'\(damaged)' is no key hash")
        }
    }

    @Test func endpointKeysTakeAPBKDF2DerivationAndNothingLikeIt() async throws {
        try await withAPI { api in
            let derivation = AdminKeyHash(key: "endpoint-key", iterations: 1000).stored
            let good = #"{"endpoint": {"auth_hash": "\#(derivation)", "auth_algo": "pbkdf2-sha256"}}"#
            #expect(try await api.request(.post, "/v1.1/endpoints/kdf", body: good).status == .ok)
            try await api.request(.post, "/v1.1/auth_key", body: #"{"auth_key": "admin"}"#)
            #expect(
                try await api.request(.get, "/v1.1/endpoints/kdf/state", headers: .authKey("endpoint-key")).status
                    == .ok)
            #expect(
                try await api.request(.get, "/v1.1/endpoints/kdf/state", headers: .authKey("endpoint-kez")).status
                    == .unauthorized)
            for (body, key) in [
                (
                    #"{"endpoint": {"auth_hash": "\#(String(repeating: "a", count: 64))", "auth_algo": "pbkdf2-sha256"}}"#,
                    "auth_hash"
                ),
                (
                    #"{"endpoint": {"auth_hash": "\#(derivation)", "auth_salt": "x", "auth_algo": "pbkdf2-sha256"}}"#,
                    "auth_salt"
                ),
            ] {
                let reply = try await api.request(.post, "/v1.1/endpoints/bad", body: body, headers: .authKey("admin"))
                #expect(reply.status == .badRequest, "refused: \(reply.text)")
                #expect(reply.json?.objectValue?["endpoint"]?.objectValue?[key] != nil, "names \(key): \(reply.text)")
            }
        }
    }
}
