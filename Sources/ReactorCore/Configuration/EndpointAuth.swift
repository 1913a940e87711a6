/// The hash algorithms an endpoint key may use (`[endpoint] auth_algo`).
///
/// `pbkdf2-sha256` is the one to use: `auth_hash` then holds the whole derivation,
/// `pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>` (what `reactor hash-key` prints),
/// and `auth_salt` is not used. The plain digests (`sha1`, the default, `sha256`, `sha512`) are
/// for configurations carried over from the original Reactor.
public enum AuthAlgorithm: String, Sendable, Hashable, CaseIterable {
    case sha1
    case sha256
    case sha512
    case pbkdf2SHA256 = "pbkdf2-sha256"

    /// Length of the hex digest in characters (0 for `pbkdf2-sha256`, which is not hex).
    public var hexDigestLength: Int {
        switch self {
        case .sha1: 40
        case .sha256: 64
        case .sha512: 128
        case .pbkdf2SHA256: 0
        }
    }

    /// Whether `hash` has the stored form of a `pbkdf2-sha256` derivation:
    /// `pbkdf2-sha256$<iterations, at least 1000>$<base64>$<base64>`.
    public static func isDerivation(_ hash: String) -> Bool {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: false)
        let base64 = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
        guard parts.count == 4, parts[0] == Self.pbkdf2SHA256.rawValue, let iterations = Int(parts[1]),
            (1000...10_000_000).contains(iterations)
        else { return false }
        return parts[2...].allSatisfy { !$0.isEmpty && $0.count % 4 == 0 && $0.allSatisfy(base64.contains) }
    }
}

/// An endpoint's own API key: `auth_hash` is the hex digest of `auth_salt + key` with `auth_algo`.
public struct EndpointAuth: Sendable, Hashable {
    /// Lowercase hex digest.
    public var hash: String
    /// Salt prepended to the key before hashing; default empty.
    public var salt: String
    /// Digest algorithm; default ``AuthAlgorithm/sha1``.
    public var algorithm: AuthAlgorithm

    /// - Parameters:
    ///   - hash: hex digest, stored lowercased.
    ///   - salt: default empty.
    ///   - algorithm: default ``AuthAlgorithm/sha1``.
    public init(hash: String, salt: String = "", algorithm: AuthAlgorithm = .sha1) {
        // Base64 (in a derivation) is case-sensitive; hex digests are compared lowercased.
        self.hash = algorithm == .pbkdf2SHA256 ? hash : hash.lowercased()
        self.salt = salt
        self.algorithm = algorithm
    }

    /// Reads `auth_hash`, `auth_salt`, `auth_algo`; `nil` when there is no (valid) hash.
    init?(_ reader: SectionReader, errors: inout ConfigErrors) {
        var algorithm = AuthAlgorithm.sha1
        if let text = reader.string("auth_algo") {
            if let known = AuthAlgorithm(rawValue: text.lowercased()) {
                algorithm = known
            } else {
                let names = AuthAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")
                errors.add("must be one of \(names), got '\(text)'", section: reader.section, key: "auth_algo")
            }
        }
        guard let hash = reader.string("auth_hash") else {
            if reader.string("auth_salt") != nil {
                errors.add("auth_salt is set but auth_hash is not", section: reader.section, key: "auth_salt")
            }
            return nil
        }
        if algorithm == .pbkdf2SHA256 {
            guard AuthAlgorithm.isDerivation(hash) else {
                errors.add(
                    "must be a derivation pbkdf2-sha256$<iterations>$<salt>$<hash> (see `reactor hash-key`)",
                    section: reader.section, key: "auth_hash")
                return nil
            }
            if reader.string("auth_salt") != nil {
                errors.add(
                    "not used with pbkdf2-sha256: the salt is part of auth_hash", section: reader.section,
                    key: "auth_salt")
                return nil
            }
            self.init(hash: hash, algorithm: algorithm)
            return
        }
        guard hash.count == algorithm.hexDigestLength, hash.allSatisfy(\.isHexDigit) else {
            errors.add(
                "must be \(algorithm.hexDigestLength) hex digits (a \(algorithm.rawValue) digest)",
                section: reader.section, key: "auth_hash")
            return nil
        }
        self.init(hash: hash, salt: reader.string("auth_salt") ?? "", algorithm: algorithm)
    }
}
