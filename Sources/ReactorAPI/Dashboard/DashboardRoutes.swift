import Hummingbird

/// The dashboard: `GET /dashboard/<file>` serves its static files, and ``DashboardMiddleware``
/// answers browsers on `/` and on the API paths the dashboard has pages for.
enum DashboardRoutes {
    /// Where the static files are served.
    static let prefix = "/dashboard/"

    static func register(_ routes: APIRoutes) {
        let assets = DashboardAssets.embedded
        routes.addUnversioned(.get, prefix + ":file") { request, context in
            let name = context.parameters.get("file") ?? ""
            guard let file = assets.files[name] else {
                throw APIError.notFound("the dashboard has no file '\(PathParameters.printable(name))'")
            }
            return answer(file, to: request)
        }
    }

    /// `file` as the answer to `request`: `304` when `If-None-Match` names its entity tag.
    ///
    /// `Cache-Control: no-cache` lets browsers keep the files but check them on each use, so that a
    /// new `reactor` binary's dashboard is picked up at once (the file names carry no version).
    static func answer(_ file: DashboardAssets.File, to request: Request) -> Response {
        var fields = DashboardHeaders.secured([
            .contentType: file.contentType, .eTag: file.etag, .cacheControl: "no-cache",
        ])
        let tags = request.headers[values: .ifNoneMatch].flatMap { $0.split(separator: ",") }
        if tags.contains(where: { $0.trimmingPrefix(" ") == file.etag || $0 == "*" }) {
            fields[.contentType] = nil
            return Response(status: .notModified, headers: fields)
        }
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}

/// Answers a browser's `GET` (an `Accept` that prefers `text/html`) with the dashboard: its page on
/// `/`, and a redirect to the matching dashboard page on `/v1.x/endpoints…`, `/v1.x/managers…` and
/// `/v1.x/info`. Every other request, and every JSON client, goes on to the API unchanged.
struct DashboardMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method == .get, AcceptHeader.prefersHTML(request.headers[values: .accept]) else {
            return try await next(request, context)
        }
        let path = request.uri.path
        if path == "/", let index = DashboardAssets.embedded.files["index.html"] {
            return DashboardRoutes.answer(index, to: request)
        }
        if let page = Self.page(for: path) {
            return Response(status: .seeOther, headers: DashboardHeaders.secured([.location: "/#" + page]))
        }
        return try await next(request, context)
    }

    /// The dashboard route (after `#`) showing what an API path answers, if there is one. Only
    /// names made of URL-safe characters are carried into the `Location` header.
    static func page(for path: String) -> String? {
        let segments = path.split(separator: "/").map(String.init)
        guard segments.count >= 2, APIRoutes.versionPrefixes.contains("/" + segments[0]) else { return nil }
        let safe = segments.allSatisfy { segment in
            segment.unicodeScalars.allSatisfy { Self.safeCharacters.contains($0) }
        }
        switch segments[1] {
        case "info" where segments.count == 2: return "/"
        case "endpoints" where segments.count == 2: return "/endpoints"
        case "endpoints" where safe: return "/endpoints/" + segments[2]
        case "managers": return "/managers"
        default: return nil
        }
    }

    private static let safeCharacters = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~%".unicodeScalars)
}
