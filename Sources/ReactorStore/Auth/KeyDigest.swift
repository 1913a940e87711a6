import Crypto
import ReactorCore

/// Hex digests and constant-time comparison for API keys (swift-crypto's hashes).
public enum KeyDigest {
    /// The lowercase hex digest of `text` (UTF-8) with `algorithm` (a plain digest algorithm;
    /// ``AuthAlgorithm/pbkdf2SHA256`` is derived by ``AdminKeyHash`` instead, never here).
    public static func hex(_ algorithm: AuthAlgorithm, of text: String) -> String {
        let bytes = Array(text.utf8)
        let digest: [UInt8] =
            switch algorithm {
            case .sha1: Array(Insecure.SHA1.hash(data: bytes))
            case .sha256, .pbkdf2SHA256: Array(SHA256.hash(data: bytes))
            case .sha512: Array(SHA512.hash(data: bytes))
            }
        return hexString(digest)
    }

    /// Whether `a` and `b` are equal, taking the same time whatever their first difference, so a
    /// caller cannot learn a stored hash byte by byte from response times.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        constantTimeEquals(Array(a.utf8), Array(b.utf8))
    }

    /// Whether the byte strings are equal, in time independent of where they differ.
    public static func constantTimeEquals(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let x = index < left.count ? left[index] : 0
            let y = index < right.count ? right[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && left.count == right.count
    }

    static func hexString(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }
}

extension EndpointAuth {
    /// Whether `key` is this endpoint's key: for `pbkdf2-sha256` the stored derivation in
    /// `auth_hash` (see ``AdminKeyHash``), otherwise `hex(algorithm(salt + key)) == hash`,
    /// compared in constant time.
    public func verifies(_ key: String) -> Bool {
        if algorithm == .pbkdf2SHA256 {
            guard let derived = AdminKeyHash(stored: hash), derived.isDerived else { return false }
            return derived.verifies(key)
        }
        return KeyDigest.constantTimeEquals(KeyDigest.hex(algorithm, of: salt + key), hash)
    }
}
