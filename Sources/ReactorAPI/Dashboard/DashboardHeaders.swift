import HTTPTypes
import Hummingbird

/// The headers of every dashboard answer: a strict Content-Security-Policy (nothing but this
/// origin, no inline script or style, no framing), no content sniffing, no referrer.
enum DashboardHeaders {
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// `fields` with the security headers added.
    static func secured(_ fields: HTTPFields = [:]) -> HTTPFields {
        var fields = fields
        fields[HTTPField.Name("Content-Security-Policy")!] = contentSecurityPolicy
        fields[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        fields[HTTPField.Name("X-Frame-Options")!] = "DENY"
        fields[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return fields
    }
}
