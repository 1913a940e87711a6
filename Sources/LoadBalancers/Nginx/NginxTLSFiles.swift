import Logging
import ProcessSupport

/// The certificate and key files a TLS service (`https://`, or `ssl = true`) is served with, made on this host when the
/// endpoint does not name files: PEM text given in `ssl_certificate` / `ssl_key` is written to
/// files of its own (0600), and a service with neither gets a self-signed pair made for this host
/// with `openssl` (once, kept in the balancer's folder, logged).
struct NginxTLSFiles: Sendable {
    /// The balancer's folder; files go to `<directory>/tls` (0700).
    let directory: String
    let logger: Logger

    var folder: String { directory + "/tls" }
    var selfSignedCertificate: String { folder + "/self-signed.pem" }
    var selfSignedKey: String { folder + "/self-signed.key" }

    /// `services` with every TLS service's `ssl_certificate` and `ssl_key` as paths of files
    /// that exist on this host.
    func materialize(_ services: [BalancedService]) async throws(NginxBalancerError) -> [BalancedService] {
        var result: [BalancedService] = []
        for var service in services {
            defer { result.append(service) }
            guard NginxSettings.servesTLS(url: service.url, section: service.settings) else { continue }
            let certificate = service.settings["ssl_certificate"].flatMap { $0.isEmpty ? nil : $0 }
            let key = service.settings["ssl_key"].flatMap { $0.isEmpty ? nil : $0 }
            if certificate == nil && key == nil {
                try await ensureSelfSigned(for: service.url)
                service.settings["ssl_certificate"] = selfSignedCertificate
                service.settings["ssl_key"] = selfSignedKey
                continue
            }
            if let certificate, NginxSettings.isPEM(certificate) {
                service.settings["ssl_certificate"] = try write(certificate, suffix: "pem")
            }
            if let key, NginxSettings.isPEM(key) {
                service.settings["ssl_key"] = try write(key, suffix: "key")
            }
        }
        return result
    }

    /// Writes PEM text to `tls/<digest>.<suffix>`, 0600 (the same text, the same file).
    private func write(_ text: String, suffix: String) throws(NginxBalancerError) -> String {
        let path = "\(folder)/\(String(Self.digest(text), radix: 16)).\(suffix)"
        do {
            try FileSystem.makeOwnedDirectory(folder, mode: 0o700)
            if FileSystem.readIfPresent(path) != text { try FileSystem.write(text, to: path, mode: 0o600) }
        } catch {
            throw .failed("cannot write the TLS file \(path): \(error)")
        }
        return path
    }

    /// Makes the self-signed pair unless it exists: RSA 2048, this host's name as its subject.
    private func ensureSelfSigned(for url: String) async throws(NginxBalancerError) {
        if FileSystem.readIfPresent(selfSignedCertificate) != nil, FileSystem.readIfPresent(selfSignedKey) != nil {
            return
        }
        guard let openssl = FileSystem.findExecutable("openssl") else {
            throw .failed("\(url) names no ssl_certificate, and openssl is not installed to make a self-signed one")
        }
        do {
            try FileSystem.makeOwnedDirectory(folder, mode: 0o700)
        } catch {
            throw .failed("cannot make \(folder): \(error)")
        }
        let name = Self.hostName()
        let outcome: (status: Int32, output: String)
        do {
            outcome = try await ChildProcess.run(
                [
                    openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "825", "-subj", "/CN=\(name)",
                    "-keyout", selfSignedKey, "-out", selfSignedCertificate,
                ], outputPath: folder + "/openssl.out", timeout: .seconds(60))
        } catch {
            throw .failed("cannot make a self-signed certificate: \(error)")
        }
        guard outcome.status == 0 else {
            throw .failed("openssl could not make a self-signed certificate: \(outcome.output.suffix(300))")
        }
        chmod(selfSignedKey, 0o600)
        chmod(selfSignedCertificate, 0o600)
        logger.warning(
            "\(url) names no ssl_certificate: serving a self-signed certificate made for this host (CN=\(name))",
            metadata: ["lb.certificate": "\(selfSignedCertificate)"])
    }

    /// FNV-1a, 64 bits: names a PEM file by its content, the same in every run.
    static func digest(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // Kept to what a subject can carry unquoted.
        let plain = name.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
        return plain.isEmpty ? "localhost" : plain
    }
}

#if canImport(Glibc)
import Glibc
#endif
