import Foundation
import Hummingbird

/// `ETag` and `If-Match` for endpoint configurations: the tag is the configuration node's
/// ZooKeeper version in quotes (`"7"`), so a read-modify-write (`reactor endpoints set`) can ask
/// the API to write only if nobody else wrote since its read.
enum ConditionalUpdate {
    /// `"<version>"`
    static func eTag(_ version: Int32) -> String { "\"\(version)\"" }

    /// The version `If-Match` names, or `nil` when the request has no `If-Match`.
    ///
    /// - Throws: `400` unless the header is one tag as ``eTag(_:)`` writes it (`W/"7"`, `*` and
    ///   lists are refused: the update must name one exact version).
    static func expectedVersion(_ request: Request) throws(APIError) -> Int32? {
        guard let text = request.headers[.ifMatch] else { return nil }
        let tag = text.trimmingCharacters(in: .whitespaces)
        guard tag.count >= 3, tag.hasPrefix("\""), tag.hasSuffix("\""),
            let version = Int32(tag.dropFirst().dropLast()), version >= 0
        else {
            throw APIError.badRequest(
                "If-Match must be the ETag of GET /v1.1/endpoints/<name>, a version in quotes such as \"3\"; "
                    + "got '\(PathParameters.printable(text))'")
        }
        return version
    }
}
