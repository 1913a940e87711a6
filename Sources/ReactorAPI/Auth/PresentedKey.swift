import HTTPTypes
import Hummingbird

/// The key a caller presents: the `X-Auth-Key` header, or else the `auth_key` query parameter.
enum PresentedKey {
    static let header = HTTPField.Name("X-Auth-Key")!
    static let queryParameter = "auth_key"

    static func from(_ request: Request) -> String? {
        if let key = request.headers[header], !key.isEmpty { return key }
        if let key = request.uri.queryParameters.get(queryParameter), !key.isEmpty { return key }
        return nil
    }
}
