import Hummingbird
import ReactorCore
import ReactorStore

/// Who may call what (docs/design.md#access).
///
/// - Admin routes need the admin key once one is set.
/// - Endpoint routes (`/endpoints/<name>/...` and the implicit `/endpoint/...`) accept the admin
///   key or the endpoint's own key; they need one when either is set.
/// - The dashboard's sign-in cookie (``SessionCookie``) stands for the admin key when the request
///   presents no key; with it, requests that change state must carry the CSRF header.
struct AccessControl: Sendable {
    let store: ReactorStore

    /// - Throws: ``APIError/unauthorized`` unless no admin key is set or the request carries it.
    func requireAdmin(_ request: Request) async throws {
        guard let admin = try await store.adminKeyHash() else { return }
        try refuseUnusable(admin)
        guard let key = PresentedKey.from(request) else {
            try requireSession(request, admin: admin)
            return
        }
        guard admin.verifies(key) else { throw APIError.unauthorized }
        try await upgrade(admin, key: key)
    }

    /// - Throws: ``APIError/unauthorized`` unless the request carries a valid sign-in cookie for
    ///   `admin`; ``APIError/forbidden(_:)`` when it does but changes state without the CSRF header.
    private func requireSession(_ request: Request, admin: AdminKeyHash) throws {
        guard let token = SessionCookie.token(in: request), SessionToken.verifies(token, admin: admin) else {
            throw APIError.unauthorized
        }
        try SessionCookie.requireCSRFHeader(request)
    }

    /// - Throws: ``APIError/unauthorized`` unless the request may act on the endpoint.
    func requireEndpoint(_ request: Request, target: EndpointTarget) async throws {
        let admin = try await store.adminKeyHash()
        let own = try await endpointAuth(target)
        if admin == nil && own == nil { return }
        guard let key = PresentedKey.from(request) else {
            guard let admin else { throw APIError.unauthorized }
            try refuseUnusable(admin)
            try requireSession(request, admin: admin)
            return
        }
        if let admin, admin.verifies(key) {
            try await upgrade(admin, key: key)
            return
        }
        if own?.verifies(key) == true { return }
        if let admin { try refuseUnusable(admin) }
        throw APIError.unauthorized
    }

    /// A `/reactor/auth` that holds no key hash (empty, damaged) is no key anyone has: the
    /// request is refused, saying why, so that the operator knows what to repair.
    private func refuseUnusable(_ admin: AdminKeyHash) throws {
        guard admin.isUnusable else { return }
        throw APIError.unauthorizedBecause(
            "the stored admin key (/reactor/auth) is empty or damaged, so no key opens admin routes; "
                + "remove it (reactor zk rm /reactor/auth) and set a key again")
    }

    /// Rewrites a key stored in an older, fast form as a derivation after its first successful use.
    private func upgrade(_ admin: AdminKeyHash, key: String) async throws {
        guard admin.needsUpgrade else { return }
        try await store.upgradeAdminKey(key, from: admin)
    }

    /// The endpoint's own key, read from its stored configuration.
    private func endpointAuth(_ target: EndpointTarget) async throws -> EndpointAuth? {
        let configuration: JSONValue
        do {
            configuration = try await store.endpointConfiguration(id: target.id, name: target.name)
        } catch StoreError.endpointNotFound {
            return nil
        }
        guard let section = configuration.objectValue?[EndpointConfig.section]?.objectValue,
            let hash = section["auth_hash"]?.stringValue, !hash.isEmpty
        else { return nil }
        let algorithm = section["auth_algo"]?.stringValue.flatMap { AuthAlgorithm(rawValue: $0.lowercased()) } ?? .sha1
        return EndpointAuth(hash: hash, salt: section["auth_salt"]?.stringValue ?? "", algorithm: algorithm)
    }
}
