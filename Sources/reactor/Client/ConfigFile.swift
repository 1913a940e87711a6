import Foundation
import ReactorCore

#if canImport(Glibc)
import Glibc
#endif

/// Configuration files for endpoints and managers: INI or JSON, told apart by content (JSON starts
/// with `{`), read from a path or from standard input (`-`).
enum ConfigFile {
    /// Reads and parses `path`; the API validates the values.
    ///
    /// - Returns: the configuration as a JSON object of sections, as the API takes it.
    /// - Throws: ``ClientError/local(_:)`` naming the file and what is wrong: unreadable, not
    ///   JSON, not INI (with the line), or values of the wrong shape (with section and key).
    static func read(_ path: String) throws(ClientError) -> JSONValue {
        let name = displayName(path)
        let data = try contents(path)
        do {
            return try ConfigDocument(body: data).jsonValue
        } catch {
            switch error {
            case .unreadable(let message): throw ClientError.local("\(name): \(message)")
            case .invalid(let errors):
                throw ClientError.local("\(name): invalid configuration: \(oneLine(errors))")
            }
        }
    }

    /// `path` as messages name it.
    static func displayName(_ path: String) -> String { path == "-" ? "standard input" : path }

    /// The bytes of `path`, or of standard input for `-`.
    ///
    /// - Throws: ``ClientError/local(_:)`` naming the file and why it cannot be read.
    static func contents(_ path: String) throws(ClientError) -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ClientError.local("cannot read \(displayName(path)): \(reason(error))")
        }
    }

    /// A stored configuration (a JSON object of sections) as INI text, sections and keys sorted.
    static func iniText(_ configuration: JSONValue) -> String {
        // A stored configuration that does not read as one is shown as it is.
        guard let document = try? ConfigDocument(json: configuration) else { return ClientOutput.text(configuration) }
        return String(document.iniText.dropLast(document.iniText.hasSuffix("\n") ? 1 : 0))
    }

    /// Validation errors on one line: `[scaling] min_instances: …; [endpoint] url: …`.
    static func oneLine(_ errors: ConfigErrors) -> String {
        errors.description.split(separator: "\n").joined(separator: "; ")
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError {
            return "no such file"
        }
        return nsError.localizedDescription
    }
}
