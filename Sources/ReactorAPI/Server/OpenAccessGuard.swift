import Foundation
import Logging
import ReactorStore

#if canImport(Glibc)
import Glibc
#endif

/// The decision, at start, whether the API may serve where it was asked to
/// (docs/design.md#security-defaults): without an admin key anyone who reaches the port can change
/// every endpoint (and so run commands on every manager's host), so a keyless API serves on
/// loopback only, unless the operator gives a key file (`--auth-key-file`, which sets the key when
/// none is set) or says so (`--allow-open`, warned about at every start).
enum OpenAccessGuard {
    /// What the start decided: the key from the key file, to be set when none is.
    struct Decision: Sendable {
        var keyFromFile: String?
    }

    /// Decides whether the API may serve as configured, reading only (nothing is written before
    /// the process has decided to run).
    ///
    /// - Throws: ``APIStartError`` when the key file is unusable, or when no key is set (nor given
    ///   in a key file) and the address is not loopback without `--allow-open`.
    static func decide(_ configuration: APIConfiguration, store: ReactorStore) async throws -> Decision {
        let logger = configuration.logger
        let key = try configuration.authKeyFile.map(readKeyFile)
        let admin = try await store.adminKeyHash()
        if admin == nil && key == nil && !isLoopback(configuration.host) {
            guard configuration.allowOpen else {
                throw APIStartError(
                    "no admin key is set, so the API will not serve on \(configuration.host), which is not a "
                        + "loopback address: give a key with --auth-key-file FILE (env REACTOR_AUTH_KEY_FILE; "
                        + "the file readable by its owner only), or serve without one with --allow-open, or "
                        + "listen on 127.0.0.1")
            }
            logger.warning(
                """
                serving with no admin key on a non-loopback address (--allow-open): anyone who reaches \
                \(configuration.host):\(configuration.port) can change every endpoint, and so run commands on \
                every manager's host
                """)
        }
        if let admin, admin.isUnusable {
            logger.warning(
                "the stored admin key (/reactor/auth) is empty or damaged: admin routes are refused until it is removed"
            )
        }
        return Decision(keyFromFile: key)
    }

    /// Carries out what ``decide(_:store:)`` decided, once the process runs: sets the key file's key
    /// when no key is set.
    static func apply(_ decision: Decision, _ configuration: APIConfiguration, store: ReactorStore) async throws {
        guard let key = decision.keyFromFile, let path = configuration.authKeyFile else { return }
        let logger = configuration.logger
        if try await store.setAdminKeyIfAbsent(key) {
            logger.notice("admin key set from the key file", metadata: ["auth.key_file": "\(path)"])
        } else {
            logger.info("an admin key is already set; the key file is not used", metadata: ["auth.key_file": "\(path)"])
        }
    }

    /// Whether `host` names a loopback address (`127.0.0.0/8`, `::1`, `localhost`).
    static func isLoopback(_ host: String) -> Bool {
        let name = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// The largest key file read, in bytes.
    static let maximumKeyFileSize = 4096

    /// The key in `path`: its text without surrounding whitespace.
    ///
    /// - Throws: ``APIStartError`` when the file cannot be read, is readable by its group or by
    ///   others (a key others can read protects nothing), is a symbolic link, or holds no key.
    static func readKeyFile(_ path: String) throws(APIStartError) -> String {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            throw APIStartError("cannot read the key file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw APIStartError("the key file \(path) is not a regular file")
        }
        guard status.st_mode & 0o044 == 0 else {
            throw APIStartError(
                "the key file \(path) is readable by its group or by others (mode "
                    + "\(String(status.st_mode & 0o777, radix: 8))); make it readable by its owner only: chmod 600 \(path)"
            )
        }
        guard status.st_size <= maximumKeyFileSize else {
            throw APIStartError("the key file \(path) is larger than \(maximumKeyFileSize) bytes")
        }
        var bytes = [UInt8](repeating: 0, count: maximumKeyFileSize)
        let count = read(fd, &bytes, bytes.count)
        guard count >= 0 else {
            throw APIStartError("cannot read the key file \(path): \(String(cString: strerror(errno)))")
        }
        let key = String(decoding: bytes[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { throw APIStartError("the key file \(path) holds no key") }
        return key
    }
}

/// The API cannot start as configured; the message says what to change.
public struct APIStartError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
