import Hummingbird
import ReactorCore

/// Building the API's responses: JSON bodies, empty bodies, and the plain `unauthorized`.
enum JSONResponse {
    /// `value` as compact JSON with sorted keys.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: value.encoded())))
    }

    /// `{"message": message}`
    static func message(_ message: String, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        json(.object(["message": .string(MessageText.cut(message))]), status: status, headers: headers)
    }

    /// 200 with an empty body: what the contract shows for writes ("Result: none").
    static func empty(status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentLength: "0"])
    }

    /// 401 with the plain-text body `unauthorized` the contract shows.
    ///
    /// - Parameter reason: appended as `unauthorized: <reason>` when given; default none.
    static func unauthorized(reason: String? = nil) -> Response {
        Response(
            status: .unauthorized, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: reason.map { "unauthorized: \($0)" } ?? "unauthorized")))
    }

    /// A JSON array of strings.
    static func strings(_ values: [String]) -> Response {
        json(.array(values.map(JSONValue.string)))
    }
}
