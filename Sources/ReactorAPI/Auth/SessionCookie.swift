import HTTPTypes
import Hummingbird

/// The dashboard's sign-in cookie: its name, reading it from a request and the `Set-Cookie`
/// values that set and clear it.
enum SessionCookie {
    /// The cookie's name.
    static let name = "reactor_session"
    /// The header a cookie-authenticated request that changes state must carry (CSRF protection:
    /// another site can neither set it on a form post nor send it cross-origin without a CORS
    /// preflight, which the API never grants).
    static let csrfHeader = HTTPField.Name("X-Reactor-Dashboard")!

    /// The token of the first `reactor_session` cookie of the request, if any.
    static func token(in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingSpaces == name else { continue }
                let value = parts[1].trimmingSpaces
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// `Set-Cookie` for `token`: HttpOnly, SameSite=Strict, `Secure` when the API serves HTTPS.
    static func setting(_ token: String, maxAge: Int, secure: Bool) -> String {
        "\(name)=\(token); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// `Set-Cookie` that removes the cookie.
    static func clearing(secure: Bool) -> String {
        "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// - Throws: ``APIError/forbidden(_:)`` when `request` changes state without ``csrfHeader``.
    static func requireCSRFHeader(_ request: Request) throws {
        if [.get, .head, .options].contains(request.method) { return }
        guard request.headers[csrfHeader] != nil else {
            throw APIError.forbidden(
                "a request signed in with the dashboard cookie that changes state must carry the "
                    + "\(csrfHeader.rawName) header (CSRF protection); scripts should send X-Auth-Key instead")
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
