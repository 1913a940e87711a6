import Synchronization

/// Every path pattern the API serves and its methods, so that a request for a known path with
/// the wrong method answers `405` with `Allow` instead of the router's `404`, and so that tests
/// can check the OpenAPI document covers every route.
public final class RouteCatalog: Sendable {
    private let entries = Mutex<[String: Set<String>]>([:])

    public init() {}

    /// Records `method` for `pattern` (`/v1.1/endpoints/:name`).
    func add(_ pattern: String, method: String) {
        _ = entries.withLock { $0[pattern, default: []].insert(method) }
    }

    /// Every pattern with its methods, sorted by pattern.
    public var routes: [(pattern: String, methods: [String])] {
        entries.withLock { $0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value.sorted()) }
    }

    /// The methods some route accepts for a concrete `path`; empty when no pattern matches.
    func allowedMethods(for path: String) -> [String] {
        let segments = Self.segments(path)
        var methods: Set<String> = []
        for (pattern, patternMethods) in entries.withLock({ $0 }) {
            let expected = Self.segments(pattern)
            guard expected.count == segments.count else { continue }
            if zip(expected, segments).allSatisfy({ $0.hasPrefix(":") || $0 == $1 }) {
                methods.formUnion(patternMethods)
            }
        }
        return methods.sorted()
    }

    private static func segments(_ path: String) -> [Substring] {
        let withoutQuery = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return withoutQuery.split(separator: "/")
    }
}
