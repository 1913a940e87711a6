import ArgumentParser
import Foundation
import ReactorAPI

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

    func validate() throws {
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
        if let tlsCert, let tlsKey { configuration.tls = TLSFiles(certificate: tlsCert, key: tlsKey) }
    }
}
