import ArgumentParser
import Foundation
import ReactorCore

/// `reactor metrics …`: an endpoint's computed metrics and the samples posted for it.
struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Show an endpoint's metrics, or post metrics for it or for one of its instances.",
        subcommands: [Show.self, Post.self, Clear.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show computed metrics (GET …/metrics), or one instance's samples (GET …/metrics/IP).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String
        @Argument(help: "An instance IP: show the samples posted for it, {metric: [weight, value]}.") var ip: String?

        func run() async throws {
            try await options.run { api, out in
                if let ip {
                    let samples = try await api.get(APIClient.path("endpoints", name, "metrics", ip))
                    if out.json { return out.printJSON(samples) }
                    let rows = (samples.objectValue ?? [:]).sorted { $0.key < $1.key }.map { metric, pair in
                        let values = pair.arrayValue ?? []
                        return [
                            metric, values.count == 2 ? ClientOutput.text(values[0]) : "-",
                            values.count == 2 ? ClientOutput.text(values[1]) : ClientOutput.text(pair),
                        ]
                    }
                    out.printTable(["METRIC", "WEIGHT", "VALUE"], rows)
                } else {
                    let metrics = try await api.get(APIClient.path("endpoints", name, "metrics"))
                    if out.json { return out.printJSON(metrics) }
                    let rows = (metrics.objectValue ?? [:]).sorted { $0.key < $1.key }.map {
                        [$0.key, ClientOutput.text($0.value)]
                    }
                    out.printTable(["METRIC", "VALUE"], rows)
                }
            }
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clear the endpoint-wide custom metrics (DELETE …/metrics); the balancers' and instances' stay.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String

        func run() async throws {
            try await options.run { api, out in
                try await api.send("DELETE", APIClient.path("endpoints", name, "metrics"))
                out.done("cleared the custom metrics of endpoint '\(name)'")
            }
        }
    }

    struct Post: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Post metrics: endpoint-wide (POST …/metrics) or for one instance (--ip: POST …/metrics/IP).",
            discussion: """
                Give METRIC=VALUE pairs (each with --weight, default 1), or a JSON file \
                {"metric": [weight, value], ...} with --file. Posting replaces the previous samples.                 With --ttl, the samples stop counting that many seconds after the post.
                """)
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String
        @Argument(help: "Samples as METRIC=VALUE.") var samples: [String] = []
        @Option(help: "Post the samples of this instance IP instead of endpoint-wide metrics.") var ip: String?
        @Option(help: "The weight of each METRIC=VALUE sample.") var weight: Double = 1
        @Option(name: .shortAndLong, help: "A JSON file {\"metric\": [weight, value], ...} ('-' for standard input).")
        var file: String?
        @Option(help: "Seconds after which these samples stop counting (at most 86400); default: until replaced.")
        var ttl: Double?

        func validate() throws {
            if let ttl, !(ttl > 0 && ttl <= 86_400) {
                throw ValidationError("--ttl must be a number of seconds above 0, at most 86400")
            }
            guard (file == nil) != samples.isEmpty else {
                throw ValidationError("give either METRIC=VALUE samples or --file, not both and not neither")
            }
            _ = try Self.metrics(samples, weight: weight)
        }

        func run() async throws {
            try await options.run { api, out in
                var body = try file.map(Self.readFile) ?? Self.metrics(samples, weight: weight)
                if let ttl, case .object(var members) = body {
                    members[WeightedMetrics.timeToLiveKey] = .number(ttl)
                    body = .object(members)
                }
                let path =
                    ip.map { APIClient.path("endpoints", name, "metrics", $0) }
                    ?? APIClient.path("endpoints", name, "metrics")
                try await api.send("POST", path, body: body)
                let target = ip.map { "\($0) of endpoint '\(name)'" } ?? "endpoint '\(name)'"
                let count = body.objectValue?.keys.filter { $0 != WeightedMetrics.timeToLiveKey }.count ?? 0
                out.done(
                    "posted \(count) metric(s) for \(target)\(ttl.map { " for \(NumberText.measured($0)) s" } ?? "")")
            }
        }

        /// `{"metric": [weight, value]}` from `metric=value` pairs.
        static func metrics(_ samples: [String], weight: Double) throws(ValidationError) -> JSONValue {
            var members: [String: JSONValue] = [:]
            for sample in samples {
                let parts = sample.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, let value = Double(parts[1]), value.isFinite else {
                    throw ValidationError("'\(sample)' is not METRIC=VALUE with a number as VALUE")
                }
                members[parts[0]] = [.number(weight), .number(value)]
            }
            return .object(members)
        }

        static func readFile(_ path: String) throws(ClientError) -> JSONValue {
            let name = ConfigFile.displayName(path)
            let data = try ConfigFile.contents(path)
            // Whatever the parser says, the answer is the same: the shape expected.
            guard let json = JSONValue(validJSON: data), case .object = json else {
                throw ClientError.local("\(name): expected a JSON object {\"metric\": [weight, value], ...}")
            }
            return json
        }
    }
}
