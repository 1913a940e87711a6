/// The hash algorithms an endpoint key may use (`[endpoint] auth_algo`).
public enum AuthAlgorithm: String, Sendable, Hashable, CaseIterable {
    case sha1
    case sha256
    case sha512

    /// Length of the hex digest in characters.
    public var hexDigestLength: Int {
        switch self {
        case .sha1: 40
        case .sha256: 64
        case .sha512: 128
        }
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
        self.hash = hash.lowercased()
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
        guard hash.count == algorithm.hexDigestLength, hash.allSatisfy(\.isHexDigit) else {
            errors.add(
                "must be \(algorithm.hexDigestLength) hex digits (a \(algorithm.rawValue) digest)",
                section: reader.section, key: "auth_hash")
            return nil
        }
        self.init(hash: hash, salt: reader.string("auth_salt") ?? "", algorithm: algorithm)
    }
}
