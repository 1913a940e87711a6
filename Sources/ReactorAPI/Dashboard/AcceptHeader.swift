/// Reading `Accept` to tell a browser from a JSON client.
enum AcceptHeader {
    /// Whether `values` (every `Accept` header of a request) rank `text/html` above
    /// `application/json`. No `Accept`, `*/*` alone and equal ranks mean JSON: API clients keep
    /// getting the v1.1 answers.
    static func prefersHTML(_ values: [String]) -> Bool {
        let ranges = values.flatMap { $0.split(separator: ",") }.compactMap(MediaRange.init)
        return quality(of: "text/html", in: ranges) > quality(of: "application/json", in: ranges)
    }

    /// The quality the most specific matching range gives `type` (0 when none matches).
    private static func quality(of type: String, in ranges: [MediaRange]) -> Double {
        let major = type.split(separator: "/").first.map(String.init) ?? type
        let matching = ranges.filter { $0.type == type || $0.type == "\(major)/*" || $0.type == "*/*" }
        return matching.max { $0.specificity < $1.specificity }?.quality ?? 0
    }

    /// One `type/subtype;q=…` of an `Accept` header.
    private struct MediaRange {
        let type: String
        let quality: Double

        init?(_ text: Substring) {
            let parts = text.split(separator: ";").map { String($0).trimmingBlanks() }
            guard let first = parts.first, first.contains("/") else { return nil }
            type = first.lowercased()
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            self.quality = min(max(quality, 0), 1)
        }

        var specificity: Int { type == "*/*" ? 0 : type.hasSuffix("/*") ? 1 : 2 }
    }
}

extension String {
    fileprivate func trimmingBlanks() -> String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
