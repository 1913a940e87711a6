import Crypto
import Foundation
import ReactorStore

/// The dashboard's sign-in token: `<expiry>.<nonce>.<mac>`, an HMAC-SHA256 over the expiry and a
/// random nonce, keyed by a secret derived from the stored admin key hash.
///
/// Every API node derives the same secret from `/reactor/auth`, so any node verifies a token made
/// by another without session state, and setting a new admin key (a new stored hash) invalidates
/// every token made before. The token never contains the key or its hash.
enum SessionToken {
    /// How long a sign-in lasts: 12 hours.
    static let lifetime: TimeInterval = 12 * 3600

    /// A new token for `admin`, valid until `now + lifetime`.
    static func make(admin: AdminKeyHash, now: Date = Date()) -> (token: String, expires: Int) {
        let expires = Int(now.timeIntervalSince1970 + lifetime)
        let nonce = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max)) }.joined()
        let payload = "\(expires).\(nonce)"
        return ("\(payload).\(mac(payload, admin: admin))", expires)
    }

    /// Whether `token` was made for the admin key stored as `admin` and has not expired.
    static func verifies(_ token: String, admin: AdminKeyHash, now: Date = Date()) -> Bool {
        guard !admin.isUnusable else { return false }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let expires = Int(parts[0]), parts[1].utf8.count == 32 else { return false }
        let remaining = TimeInterval(expires) - now.timeIntervalSince1970
        // A token claiming to outlive a fresh one was not made here.
        guard remaining > 0, remaining <= lifetime + 60 else { return false }
        let expected = mac("\(parts[0]).\(parts[1])", admin: admin)
        return KeyDigest.constantTimeEquals(Array(expected.utf8), Array(parts[2].utf8))
    }

    private static func mac(_ payload: String, admin: AdminKeyHash) -> String {
        let secret = HMAC<SHA256>.authenticationCode(
            for: Data("reactor dashboard session v1".utf8), using: SymmetricKey(data: Data(admin.stored.utf8)))
        let code = HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: SymmetricKey(data: Data(secret)))
        return Data(code).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
