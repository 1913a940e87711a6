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
        let name = path == "-" ? "standard input" : path
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw ClientError.local("cannot read \(name): \(reason(error))")
            }
        }
        do {
            return try ConfigDocument(body: data).jsonValue
        } catch {
            switch error {
            case .unreadable(let message): throw ClientError.local("\(name): \(message)")
            case .invalid(let errors):
                throw ClientError.local(
                    "\(name): invalid configuration: \(ConfigErrorText.oneLine(errors.jsonValue.objectValue ?? [:]))")
            }
        }
    }

    /// A stored configuration (a JSON object of sections) as INI text, sections and keys sorted.
    static func iniText(_ configuration: JSONValue) -> String {
        guard let sections = configuration.objectValue else { return ClientOutput.text(configuration) }
        return sections.sorted { $0.key < $1.key }.map { name, values in
            let keys = values.objectValue ?? [:]
            return
                (["[\(name)]"] + keys.sorted { $0.key < $1.key }.map { "\($0.key) = \(ClientOutput.text($0.value))" })
                .joined(separator: "\n")
        }.joined(separator: "\n\n")
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
