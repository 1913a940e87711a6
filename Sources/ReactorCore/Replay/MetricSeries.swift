/// A recorded series of metrics for `reactor scaling replay`: CSV rows `time,metric,value[,instances]`
/// (a header row is allowed), or the JSON lines of decision records (``DecisionRecord/jsonValue``).
///
/// Each distinct time is one pass. A metric keeps its last value until the series gives a new one.
/// A value with an instance count is an average over that many instances: its total,
/// `value × instances`, is what the replay spreads over its own instances. A value without one is
/// taken as the per-instance average whatever the count (a response time, say).
public struct MetricSeries: Sendable, Hashable {
    /// One metric at one time.
    public struct Sample: Sendable, Hashable {
        /// The per-instance average.
        public var value: Double
        /// How many instances the average was over, if recorded.
        public var instances: Int?

        /// - Parameters:
        ///   - value: the per-instance average.
        ///   - instances: how many instances it was over; default not recorded.
        public init(value: Double, instances: Int? = nil) {
            self.value = value
            self.instances = instances
        }
    }

    /// The metrics given at one time.
    public struct Point: Sendable, Hashable {
        /// Seconds (any origin).
        public var time: Double
        /// The samples given at this time.
        public var samples: [String: Sample]

        /// - Parameters:
        ///   - time: seconds.
        ///   - samples: the samples given at this time.
        public init(time: Double, samples: [String: Sample]) {
            self.time = time
            self.samples = samples
        }
    }

    /// The points, oldest first.
    public var points: [Point]

    /// - Parameter points: the points, sorted by time here.
    public init(points: [Point]) {
        self.points = points.sorted { $0.time < $1.time }
    }

    /// Parses CSV or JSON lines, telling them apart by the first non-blank character (`{`: JSON).
    /// Blank lines and lines starting with `#` are skipped.
    /// - Throws: ``MetricSeriesError`` naming the first bad line.
    public init(text: String) throws(MetricSeriesError) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        var byTime: [Double: [String: Sample]] = [:]
        let isJSON = lines.first { !$0.isEmpty && !$0.hasPrefix("#") }?.hasPrefix("{") ?? false
        for (index, line) in lines.enumerated() where !line.isEmpty && !line.hasPrefix("#") {
            let number = index + 1
            if isJSON {
                let (time, samples) = try Self.record(line, line: number)
                byTime[time, default: [:]].merge(samples) { _, new in new }
            } else {
                guard let (time, metric, sample) = try Self.row(line, line: number) else { continue }
                byTime[time, default: [:]][metric] = sample
            }
        }
        guard !byTime.isEmpty else { throw MetricSeriesError(line: 0, reason: "the series has no samples") }
        self.init(points: byTime.map { Point(time: $0.key, samples: $0.value) })
    }

    /// One CSV row, or `nil` for a header row (its first field is `time`).
    private static func row(_ text: String, line: Int) throws(MetricSeriesError) -> (Double, String, Sample)? {
        let fields = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        guard fields.count == 3 || fields.count == 4 else {
            throw MetricSeriesError(line: line, reason: "expected time,metric,value[,instances]")
        }
        guard let time = Double(fields[0]), time.isFinite else {
            if fields[0].lowercased() == "time" { return nil }
            throw MetricSeriesError(line: line, reason: "time '\(fields[0])' is not a number")
        }
        guard !fields[1].isEmpty else { throw MetricSeriesError(line: line, reason: "the metric name is empty") }
        guard let value = Double(fields[2]), value.isFinite else {
            throw MetricSeriesError(line: line, reason: "value '\(fields[2])' is not a finite number")
        }
        var instances: Int?
        if fields.count == 4, !fields[3].isEmpty {
            guard let count = Int(fields[3]), count >= 0 else {
                throw MetricSeriesError(line: line, reason: "instances '\(fields[3])' is not a whole number ≥ 0")
            }
            instances = count
        }
        return (time, fields[1], Sample(value: value, instances: instances))
    }

    /// One decision record line: its `time` and `metrics` `{name: {"average", "reporting"}}`.
    private static func record(_ text: String, line: Int) throws(MetricSeriesError) -> (Double, [String: Sample]) {
        // The parser's own message would name a column of a line the reader never sees whole.
        guard let json = JSONValue(validJSON: text), let members = json.objectValue else {
            throw MetricSeriesError(line: line, reason: "not a JSON object")
        }
        guard let time = members["time"]?.numberValue, time.isFinite else {
            throw MetricSeriesError(line: line, reason: "no \"time\" number")
        }
        var samples: [String: Sample] = [:]
        for (name, entry) in members["metrics"]?.objectValue ?? [:] {
            guard let average = entry.objectValue?["average"]?.numberValue, average.isFinite else { continue }
            let reporting = entry.objectValue?["reporting"]?.numberValue.flatMap { value in
                value.isFinite && value >= 0 && value <= 1e9 ? Int(value) : nil
            }
            samples[name] = Sample(value: average, instances: reporting)
        }
        return (time, samples)
    }
}

/// Why a metric series could not be read.
public struct MetricSeriesError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number (0: the whole file).
    public var line: Int
    /// What was wrong.
    public var reason: String

    /// - Parameters:
    ///   - line: 1-based line number, 0 for the whole file.
    ///   - reason: what was wrong.
    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { line == 0 ? reason : "line \(line): \(reason)" }
}
