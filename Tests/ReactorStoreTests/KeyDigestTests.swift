import ReactorCore
import ReactorStore
import Testing

@Suite struct KeyDigestTests {
    @Test func sha1MatchesPublishedVectors() {
        #expect(KeyDigest.hex(.sha1, of: "") == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(KeyDigest.hex(.sha1, of: "abc") == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            KeyDigest.hex(.sha1, of: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    @Test func sha256MatchesPublishedVectors() {
        #expect(KeyDigest.hex(.sha256, of: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(KeyDigest.hex(.sha256, of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            KeyDigest.hex(.sha256, of: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            KeyDigest.hex(.sha256, of: String(repeating: "a", count: 1000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func sha512MatchesPublishedVectors() {
        #expect(
            KeyDigest.hex(.sha512, of: "abc")
                == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
        #expect(
            KeyDigest.hex(.sha512, of: "")
                == "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")
        #expect(
            KeyDigest.hex(
                .sha512,
                of:
                    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
            )
                == "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
                + "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909")
    }

    @Test func constantTimeComparison() {
        #expect(KeyDigest.constantTimeEquals("abc", "abc"))
        #expect(!KeyDigest.constantTimeEquals("abc", "abd"))
        #expect(!KeyDigest.constantTimeEquals("abc", "abcd"))
        #expect(!KeyDigest.constantTimeEquals("", "a"))
        #expect(KeyDigest.constantTimeEquals("", ""))
    }

    @Test func adminKeyHashIsSaltedAndVerifies() throws {
        let first = AdminKeyHash(key: "bar", iterations: 1000)
        let second = AdminKeyHash(key: "bar", iterations: 1000)
        #expect(first.stored != second.stored, "each key gets its own salt")
        #expect(first.stored.hasPrefix("pbkdf2-sha256$1000$"), "the parameters are in the stored form")
        #expect(!first.stored.contains("bar"), "the key itself is never stored")
        #expect(first.verifies("bar"))
        #expect(!first.verifies("baz"))
        let reread = try #require(AdminKeyHash(stored: first.stored))
        #expect(reread == first)
        #expect(reread.verifies("bar") && !reread.needsUpgrade)
        #expect(AdminKeyHash(stored: "bar") == nil)
    }

    @Test(arguments: AuthAlgorithm.allCases.filter { $0 != .pbkdf2SHA256 })
    func endpointKeysVerifyWithEveryAlgorithm(_ algorithm: AuthAlgorithm) {
        let auth = EndpointAuth(
            hash: KeyDigest.hex(algorithm, of: "salt" + "secret"), salt: "salt", algorithm: algorithm)
        #expect(auth.verifies("secret"))
        #expect(!auth.verifies("Secret"))
    }
}
