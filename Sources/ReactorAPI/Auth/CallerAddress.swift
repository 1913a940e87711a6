import HTTPTypes
import Hummingbird
import ReactorCore
import ReactorStore

/// The IP address a request comes from, for the implicit routes.
///
/// `X-Forwarded-For` is honoured only when the connection itself comes from a trusted proxy
/// (`--trusted-proxy`, default 127.0.0.1 and ::1) or from a running manager's advertised address
/// (the balancers in front of the API); anyone else — an instance of the loopback pool too —
/// could name any IP there.
/// The address used is the last one in the header: the one the trusted proxy saw.
enum CallerAddress {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// Resolves the caller of `request`, reading the managers' addresses only when needed.
    static func resolve(_ request: Request, context: APIRequestContext, services: APIServices) async throws
        -> IPAddress
    {
        let remote = context.remoteAddress?.ipAddress.flatMap(IPAddress.init).map(unmapped)
        let header = request.headers[values: forwardedFor].joined(separator: ",")
        var trusted: Set<IPAddress> = []
        if !header.isEmpty, let remote, !services.trustedProxies.contains(where: { $0.contains(remote) }) {
            trusted = try await services.store.activeManagerAddresses()
        } else if let remote {
            trusted = [remote]
        }
        return try resolve(remote: remote, forwardedFor: header.isEmpty ? nil : header, trustedProxies: trusted)
    }

    /// The pure decision: `remote` unless it is a trusted proxy that forwarded for someone.
    ///
    /// - Throws: ``APIError/badRequest(_:)`` when a trusted proxy sent an unreadable header, or when
    ///   the peer's address is unknown.
    static func resolve(remote: IPAddress?, forwardedFor: String?, trustedProxies: Set<IPAddress>) throws(APIError)
        -> IPAddress
    {
        guard let remote else { throw APIError.badRequest("cannot tell the caller's IP address") }
        guard let forwardedFor, trustedProxies.contains(unmapped(remote)) else { return unmapped(remote) }
        let last = forwardedFor.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard let address = IPAddress(last) else {
            throw APIError.badRequest("X-Forwarded-For does not end with an IP address")
        }
        return unmapped(address)
    }

    /// `::ffff:a.b.c.d` as the IPv4 address it stands for; anything else unchanged.
    static func unmapped(_ address: IPAddress) -> IPAddress {
        guard case .v6(let groups) = address, groups.count == 8, groups[0..<5].allSatisfy({ $0 == 0 }),
            groups[5] == 0xFFFF
        else { return address }
        return .v4(
            UInt8(groups[6] >> 8), UInt8(truncatingIfNeeded: groups[6]), UInt8(groups[7] >> 8),
            UInt8(truncatingIfNeeded: groups[7]))
    }
}
