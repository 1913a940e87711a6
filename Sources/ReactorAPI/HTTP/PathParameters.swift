import Foundation
import Hummingbird
import ReactorCore

/// Route parameters, percent-decoded and validated before they become part of a znode path.
enum PathParameters {
    /// The raw decoded parameter.
    static func decoded(_ key: String, in context: APIRequestContext) throws(APIError) -> String {
        guard let raw = context.parameters.get(key) else {
            throw APIError.badRequest("missing path parameter '\(key)'")
        }
        guard let decoded = raw.removingPercentEncoding else {
            throw APIError.badRequest("path parameter '\(key)' has invalid percent-encoding")
        }
        return decoded
    }

    /// A parameter that must be a single znode name (endpoint, manager, instance, session).
    static func name(_ key: String, kind: String, in context: APIRequestContext) throws -> String {
        try NodeName(try decoded(key, in: context), kind: kind).rawValue
    }

    /// A parameter that must be an IP address; returns its canonical spelling.
    static func ip(_ key: String, in context: APIRequestContext) throws(APIError) -> String {
        let text = try decoded(key, in: context)
        guard let address = IPAddress(text) else {
            throw APIError.badRequest("'\(printable(text))' is not an IPv4 or IPv6 address")
        }
        return address.description
    }

    /// A parameter that must be a backend address (an IP, or `ip:port` / `[ip]:port` for an
    /// instance with a port of its own); returns its canonical spelling.
    static func backend(_ key: String, in context: APIRequestContext) throws(APIError) -> String {
        let text = try decoded(key, in: context)
        guard let address = BackendAddress(text) else {
            throw APIError.badRequest(
                "'\(printable(text))' is not an IPv4 or IPv6 address, or one with a port (10.0.0.5:32768, [fd00::5]:32768)"
            )
        }
        return address.description
    }

    /// The `since` query parameter: seconds since 1970, or `nil` when absent.
    static func since(_ request: Request) throws(APIError) -> Double? {
        guard let text = request.uri.queryParameters.get("since"), !text.isEmpty else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw APIError.badRequest("since must be a number of seconds since 1970, got '\(printable(text))'")
        }
        return value
    }

    /// `text` with control characters escaped and cut to 64 characters, safe to echo in a message.
    static func printable(_ text: String) -> String {
        let shown = text.unicodeScalars.map {
            $0.properties.generalCategory == .control ? "\\u{\(String($0.value, radix: 16))}" : String($0)
        }.joined()
        return shown.count > 64 ? String(shown.prefix(61)) + "..." : shown
    }
}
