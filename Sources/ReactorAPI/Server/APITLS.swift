import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL

/// HTTPS for the API: NIOSSL through Hummingbird's TLS channel, from PEM files.
enum APITLS {
    /// `base` as it is, or wrapped in TLS with the certificate and key of `tls`.
    ///
    /// - Throws: ``APIStartError`` naming the file that cannot be read as PEM.
    static func server(_ base: HTTPServerBuilder, tls: TLSFiles?) throws -> HTTPServerBuilder {
        guard let tls else { return base }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(tls.certificate)
        } catch {
            throw APIStartError("cannot read the TLS certificate \(tls.certificate) as PEM: \(error)")
        }
        guard !certificates.isEmpty else {
            throw APIStartError("the TLS certificate file \(tls.certificate) holds no certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: tls.key, format: .pem)
        } catch {
            throw APIStartError("cannot read the TLS key \(tls.key) as PEM: \(error)")
        }
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key))
        return try .tls(base, tlsConfiguration: configuration)
    }
}
