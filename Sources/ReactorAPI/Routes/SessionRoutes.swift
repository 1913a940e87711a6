import HTTPTypes
import Hummingbird
import ReactorCore

/// `POST /login` and `POST /logout`: the dashboard's sign-in with the admin key.
///
/// Signing in trades the key for an HttpOnly, SameSite=Strict cookie holding a ``SessionToken``,
/// so that the key itself is never kept by the browser; the API accepts the cookie as the admin
/// key (``AccessControl``). Nothing is stored server-side: every API node verifies the token.
enum SessionRoutes {
    static func register(_ routes: APIRoutes) {
        let services = routes.services
        routes.add(.post, "/login") { request, context in
            let body = try await RequestBodyReader.object(of: request, describing: "the login body")
            guard case .string(let key) = body["auth_key"], !key.isEmpty else {
                throw APIError.badRequest("the login body must be {\"auth_key\": \"<the admin key>\"}")
            }
            guard let admin = try await services.store.adminKeyHash() else {
                throw APIError.conflict("no admin key is set: every route is open, there is nothing to sign in to")
            }
            guard !admin.isUnusable, admin.verifies(key) else { throw APIError.unauthorized }
            if admin.needsUpgrade { try await services.store.upgradeAdminKey(key, from: admin) }
            // The token is made from the hash as stored now (an upgrade above changed it).
            let current = try await services.store.adminKeyHash() ?? admin
            let (token, expires) = SessionToken.make(admin: current)
            let cookie = SessionCookie.setting(
                token, maxAge: Int(SessionToken.lifetime), secure: secure(request, context, services))
            return JSONResponse.json(
                ["expires": .number(Double(expires))], headers: [.setCookie: cookie, .cacheControl: "no-store"])
        }
        routes.add(.post, "/logout") { request, context in
            JSONResponse.json(
                [:], headers: [.setCookie: SessionCookie.clearing(secure: secure(request, context, services))])
        }
    }

    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    /// Whether the cookie is marked `Secure`: the API serves HTTPS, or a trusted proxy (the nginx
    /// front of deploy/) says it received the request over HTTPS.
    static func secure(_ request: Request, _ context: APIRequestContext, _ services: APIServices) -> Bool {
        if services.secureCookies { return true }
        guard request.headers[forwardedProto]?.lowercased() == "https",
            let remote = context.remoteAddress?.ipAddress.flatMap(IPAddress.init)
        else { return false }
        return services.trustedProxies.contains { $0.contains(CallerAddress.unmapped(remote)) }
    }
}
