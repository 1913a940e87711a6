import Hummingbird
import ReactorCore

/// Reads a metrics body `{metric: [weight, value], ...}`, refusing it whole if any entry is bad.
enum MetricsBody {
    static func read(_ request: Request) async throws -> JSONValue {
        let body = try await RequestBodyReader.json(of: request)
        guard case .object = body else {
            throw APIError.badRequest("metrics must be a JSON object {metric: [weight, value], ...}")
        }
        if let ttl = body.objectValue?[WeightedMetrics.timeToLiveKey] {
            guard let seconds = ttl.numberValue, seconds > 0, seconds <= WeightedMetrics.longestTimeToLive else {
                throw APIError.badRequest(
                    "invalid metrics: ttl must be a number of seconds above 0, at most 86400 (it is the samples' "
                        + "time to live, not a metric)")
            }
        }
        var check = WeightedMetrics()
        check.add(body, from: nil)
        if let first = check.rejected.first {
            let more = check.rejected.count > 1 ? " (and \(check.rejected.count - 1) more)" : ""
            throw APIError.badRequest("invalid metrics: \(first)\(more)")
        }
        return body
    }
}
