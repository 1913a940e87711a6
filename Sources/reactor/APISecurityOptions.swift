import ArgumentParser
import Foundation
import ReactorAPI
import ReactorCore

/// How the API is protected: shared by `reactor api` and `reactor server`.
struct APISecurityOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "File holding the admin key, set as the key at start when none is set (env REACTOR_AUTH_KEY_FILE). "
                + "It must not be readable by group or others.",
            valueName: "file"))
    var authKeyFile: String?

    /// `--auth-key-file`, else `REACTOR_AUTH_KEY_FILE` when set and not empty.
    var keyFile: String? {
        authKeyFile ?? ProcessInfo.processInfo.environment["REACTOR_AUTH_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    @Flag(help: "Serve on a non-loopback address even though no admin key is set (warned about at every start).")
    var allowOpen = false

    @Option(help: ArgumentHelp("Serve HTTPS with this PEM certificate chain (with --tls-key).", valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Option(help: "Seconds a connection may stay idle before the API closes it.")
    var idleTimeout: Double = 60

    @Option(
        name: .customLong("trusted-proxy"),
        help: ArgumentHelp(
            "Address or CIDR block whose X-Forwarded-For names the caller; repeat or separate with commas "
                + "(default 127.0.0.1 and ::1; running managers' addresses are always trusted).",
            valueName: "cidr"))
    var trustedProxy: [String] = []

    @Option(help: "Keyless registrations (POST /v1.1/register) one source address may send per second.")
    var registerRate: Double = 5

    @Option(help: "Keyless registrations one source address may send at once.")
    var registerBurst: Int = 20

    /// The `--trusted-proxy` blocks; the default when none is given.
    var trustedProxies: [IPBlock] {
        let texts = trustedProxy.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        return texts.isEmpty ? IPBlock.localHost : texts.compactMap(IPBlock.init)
    }

    func validate() throws {
        for text in trustedProxy.flatMap({ $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
        where IPBlock(text) == nil {
            throw ValidationError(
                "--trusted-proxy '\(text)' is not an address or CIDR block like 10.0.0.0/8 or fd00::/8")
        }
        guard registerRate > 0, registerRate <= 1_000_000, (1...1_000_000).contains(registerBurst) else {
            throw ValidationError(
                "--register-rate must be above 0 and --register-burst at least 1 (both at most 1000000)")
        }
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together: give both or neither")
        }
        guard idleTimeout > 0, idleTimeout <= 86_400 else {
            throw ValidationError("--idle-timeout must be a number of seconds above 0, at most 86400")
        }
    }

    /// Sets these options on `configuration`.
    func apply(to configuration: inout APIConfiguration) {
        configuration.authKeyFile = keyFile
        configuration.allowOpen = allowOpen
        configuration.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
        configuration.trustedProxies = trustedProxies
        configuration.registrationRate = RegistrationRate(perSecond: registerRate, burst: registerBurst)
        if let tlsCert, let tlsKey { configuration.tls = TLSFiles(certificate: tlsCert, key: tlsKey) }
    }
}
