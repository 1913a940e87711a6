import Crypto
import Foundation
import ReactorCore
import _CryptoExtras

/// A key as stored in `/reactor/auth` (and in an endpoint's `auth_hash` with
/// `auth_algo = pbkdf2-sha256`): never the key itself, only a slow derivation of it,
/// `pbkdf2-sha256$<iterations>$<salt, base64>$<derived key, base64>` with a random salt per key.
///
/// Two older stored forms are still read so that an upgraded installation keeps its key, and
/// ``needsUpgrade`` tells the caller to rewrite them after the first successful use:
/// the original Reactor's `hex(sha1("gridcentricreactor" + key))` (40 hex digits) and
/// `sha256$<salt>$<hex(sha256(salt + key))>`.
public struct AdminKeyHash: Sendable, Hashable {
    enum Form: Sendable, Hashable {
        case pbkdf2(iterations: Int, salt: [UInt8], hash: [UInt8])
        case saltedSHA256(salt: String, hex: String)
        case originalSHA1(hex: String)
        case unusable
    }

    let form: Form

    /// The name of the derivation in the stored string.
    public static let algorithm = "pbkdf2-sha256"
    /// PBKDF2-SHA256 iterations for new keys: 600,000 (OWASP's advice for PBKDF2-HMAC-SHA256).
    public static let defaultIterations = 600_000
    /// Iteration counts read from a stored string: fewer is a damaged (or hand-weakened) value.
    static let readableIterations = 1000...10_000_000
    /// The prefix the original Reactor hashed with every key.
    static let originalPrefix = "gridcentricreactor"

    /// Derives a new key with a fresh random salt.
    ///
    /// - Parameters:
    ///   - key: the key.
    ///   - iterations: PBKDF2 iterations; default ``defaultIterations``.
    public init(key: String, iterations: Int = AdminKeyHash.defaultIterations) {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let hash = Self.derive(key, salt: salt, iterations: iterations, length: 32) ?? []
        form = hash.isEmpty ? .unusable : .pbkdf2(iterations: iterations, salt: salt, hash: hash)
    }

    /// Reads a stored form; `nil` when it is none of them.
    public init?(stored: String) {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        if parts.count == 4, parts[0] == Self.algorithm {
            guard let iterations = Int(parts[1]), Self.readableIterations.contains(iterations),
                let salt = Data(base64Encoded: String(parts[2])), !salt.isEmpty,
                let hash = Data(base64Encoded: String(parts[3])), (16...64).contains(hash.count)
            else { return nil }
            form = .pbkdf2(iterations: iterations, salt: Array(salt), hash: Array(hash))
        } else if parts.count == 3, parts[0] == "sha256", parts[2].count == 64, parts[2].allSatisfy(\.isHexDigit) {
            form = .saltedSHA256(salt: String(parts[1]), hex: parts[2].lowercased())
        } else if parts.count == 1, stored.count == 40, stored.allSatisfy(\.isHexDigit) {
            form = .originalSHA1(hex: stored.lowercased())
        } else {
            return nil
        }
    }

    /// A key no string verifies: what a damaged or empty `/reactor/auth` reads as (fail closed).
    public static let unusable = AdminKeyHash(form: .unusable)

    private init(form: Form) {
        self.form = form
    }

    /// What is written to ZooKeeper.
    public var stored: String {
        switch form {
        case .pbkdf2(let iterations, let salt, let hash):
            "\(Self.algorithm)$\(iterations)$\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
        case .saltedSHA256(let salt, let hex): "sha256$\(salt)$\(hex)"
        case .originalSHA1(let hex): hex
        case .unusable: ""
        }
    }

    /// Whether this is a PBKDF2 derivation (the form new keys are stored in).
    public var isDerived: Bool {
        if case .pbkdf2 = form { return true }
        return false
    }

    /// Whether this is an older, fast form that should be rewritten as a derivation once the key
    /// is known (after its first successful use).
    public var needsUpgrade: Bool {
        switch form {
        case .saltedSHA256, .originalSHA1: true
        case .pbkdf2, .unusable: false
        }
    }

    /// Whether this is ``unusable``: a stored value that is no key hash.
    public var isUnusable: Bool { form == .unusable }

    /// Whether `key` is the key, compared in constant time. A derivation is computed once per
    /// (stored hash, key) pair: later calls are answered from ``KeyVerificationCache``.
    public func verifies(_ key: String) -> Bool {
        switch form {
        case .unusable:
            return false
        case .originalSHA1(let hex):
            return KeyDigest.constantTimeEquals(KeyDigest.hex(.sha1, of: Self.originalPrefix + key), hex)
        case .saltedSHA256(let salt, let hex):
            return KeyDigest.constantTimeEquals(KeyDigest.hex(.sha256, of: salt + key), hex)
        case .pbkdf2(let iterations, let salt, let hash):
            let entry = KeyVerificationCache.entry(stored: stored, key: key)
            if let known = KeyVerificationCache.shared.result(for: entry) { return known }
            let derived = Self.derive(key, salt: salt, iterations: iterations, length: hash.count)
            let matches = derived.map { KeyDigest.constantTimeEquals($0, hash) } ?? false
            KeyVerificationCache.shared.remember(matches, for: entry)
            return matches
        }
    }

    /// Records that `key` is the key of this hash without deriving it again (the caller has just
    /// derived it, as when a key is set).
    func rememberVerified(_ key: String) {
        guard isDerived else { return }
        KeyVerificationCache.shared.remember(true, for: KeyVerificationCache.entry(stored: stored, key: key))
    }

    private static func derive(_ key: String, salt: [UInt8], iterations: Int, length: Int) -> [UInt8]? {
        // Refused parameters (a stored hash with a length or round count the KDF does not take)
        // derive nothing, and a key that derives nothing matches no stored hash.
        guard
            let derived = try? KDF.Insecure.PBKDF2.deriveKey(
                from: Array(key.utf8), salt: salt, using: .sha256, outputByteCount: length,
                unsafeUncheckedRounds: iterations)
        else { return nil }
        return derived.withUnsafeBytes { Array($0) }
    }
}
