import ReactorCore

/// Hex digests and constant-time comparison for API keys.
public enum KeyDigest {
    /// The lowercase hex digest of `text` (UTF-8) with `algorithm`.
    public static func hex(_ algorithm: AuthAlgorithm, of text: String) -> String {
        let bytes = Array(text.utf8)
        let digest: [UInt8] =
            switch algorithm {
            case .sha1: SHA1.hash(bytes)
            case .sha256: SHA256.hash(bytes)
            case .sha512: SHA512.hash(bytes)
            }
        return hexString(digest)
    }

    /// Whether `a` and `b` are equal, taking the same time whatever their first difference, so a
    /// caller cannot learn a stored hash byte by byte from response times.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let x = index < left.count ? left[index] : 0
            let y = index < right.count ? right[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && left.count == right.count
    }

    static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }
}

extension EndpointAuth {
    /// Whether `key` is this endpoint's key: `hex(algorithm(salt + key)) == hash`, compared in
    /// constant time.
    public func verifies(_ key: String) -> Bool {
        KeyDigest.constantTimeEquals(KeyDigest.hex(algorithm, of: salt + key), hash)
    }
}
