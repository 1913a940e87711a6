import Foundation
import Hummingbird

/// The dashboard's static files, compiled into the binary.
///
/// The files live in `dashboard/` at the top of the repository and are embedded by
/// `scripts/embed-dashboard` into ``DashboardFiles`` (`Dashboard/Files/`) as base64 text, rather than as SwiftPM
/// resources: on Linux `Bundle.module` looks for a `reactor_ReactorAPI.resources` folder next to
/// the executable (or at the build path) and stops the process when it is missing, which is what
/// happens to a binary copied alone by `deploy/install.sh`. A test checks the embedded copy
/// matches `dashboard/`.
struct DashboardAssets: Sendable {
    /// One file: its bytes, content type and entity tag.
    struct File: Sendable {
        let bytes: [UInt8]
        let contentType: String
        let etag: String
    }

    /// The files by name (`index.html`, `app.js`, …).
    let files: [String: File]

    /// Every file of ``DashboardFiles``.
    static let embedded = DashboardAssets(base64: DashboardFiles.base64)

    init(base64: [String: String]) {
        var files: [String: File] = [:]
        for (name, text) in base64 {
            guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else { continue }
            let bytes = [UInt8](data)
            files[name] = File(bytes: bytes, contentType: Self.contentType(of: name), etag: Self.etag(of: bytes))
        }
        self.files = files
    }

    /// The content type for a file name's extension.
    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last.map(String.init) ?? "" {
        case "html": "text/html; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "json": "application/json"
        default: "application/octet-stream"
        }
    }

    /// A strong entity tag: the FNV-1a 64-bit hash of the bytes (identifies a version, not a secret).
    static func etag(of bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return "\"\(String(hash, radix: 16))-\(bytes.count)\""
    }
}
