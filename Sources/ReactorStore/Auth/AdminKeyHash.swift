import ReactorCore

/// The admin key as stored in `/reactor/auth`: never the key itself, only
/// `sha256$<salt>$<hex(sha256(salt + key))>` with a random salt per key.
public struct AdminKeyHash: Sendable, Hashable {
    /// Random hex salt.
    public let salt: String
    /// Lowercase hex digest of `salt + key`.
    public let hash: String

    /// Hashes a new key with a fresh random salt.
    public init(key: String) {
        var generator = SystemRandomNumberGenerator()
        let saltBytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        salt = KeyDigest.hexString(saltBytes)
        hash = KeyDigest.hex(.sha256, of: salt + key)
    }

    /// Reads the stored form; `nil` when it is not one.
    public init?(stored: String) {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "sha256", parts[2].count == AuthAlgorithm.sha256.hexDigestLength else {
            return nil
        }
        salt = String(parts[1])
        hash = String(parts[2]).lowercased()
    }

    /// A key no string verifies: what a damaged `/reactor/auth` reads as (fail closed).
    public static let unusable = AdminKeyHash(salt: "", hash: "")

    private init(salt: String, hash: String) {
        self.salt = salt
        self.hash = hash
    }

    /// What is written to ZooKeeper.
    public var stored: String { "sha256$\(salt)$\(hash)" }

    /// Whether `key` is the admin key, compared in constant time.
    public func verifies(_ key: String) -> Bool {
        !hash.isEmpty && KeyDigest.constantTimeEquals(KeyDigest.hex(.sha256, of: salt + key), hash)
    }
}
