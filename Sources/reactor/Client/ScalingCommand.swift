import ArgumentParser
import Foundation
import ReactorCore

/// `reactor scaling …`: scaling rules tried offline.
struct ScalingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaling",
        abstract: "Try scaling rules without a running endpoint.",
        subcommands: [ScalingReplayCommand.self])
}

/// `reactor scaling replay`: a recorded metric series through the real decision code.
struct ScalingReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recorded metric series through scaling rules and print the count over time.",
        discussion: """
            The series is CSV (time,metric,value[,instances]; a header row is allowed) or the JSON lines \
            of decision records (GET …/decision). Each distinct time is one pass of a RUNNING endpoint: \
            the same decision code as the managers', at most --ramp-limit actions per pass, launched \
            instances appearing (reporting) --launch-delay seconds after their launch. A value with an \
            instance count is an average over that many instances; its total is spread over the \
            replay's instances. Works offline: no API is needed.
            """)
    @Option(help: "The rules, e.g. '2 <= active <= 8'.") var rules: String = ""
    @Option(help: "min_instances.") var min: Int = 1
    @Option(help: "max_instances.") var max: Int = 1
    @Option(help: "ramp_limit: most actions per pass.") var rampLimit: Int = 5
    @Option(help: "Instances up at the start (default --min).") var instances: Int?
    @Option(help: "The series: a CSV or JSON lines file ('-' for standard input).") var metrics: String
    @Option(help: "Seconds from a launch until the instance appears.") var launchDelay: Double = 0
    @Flag(help: "Print every pass as JSON.") var json = false

    func validate() throws {
        guard min >= 0, max >= 0, min <= max else {
            throw ValidationError("--min and --max must be whole numbers with 0 <= min <= max")
        }
        guard rampLimit >= 1 else { throw ValidationError("--ramp-limit must be at least 1") }
        guard launchDelay >= 0, launchDelay.isFinite else { throw ValidationError("--launch-delay must be >= 0") }
        if let instances, instances < 0 { throw ValidationError("--instances must not be negative") }
        do {
            _ = try ScalingRules.parse(rules)
        } catch {
            throw ValidationError("--rules: \(error.message)")
        }
    }

    func run() async throws {
        let output = ClientOutput(json: json)
        do {
            let data = try ConfigFile.contents(metrics)
            let series: MetricSeries
            do {
                series = try MetricSeries(text: String(decoding: data, as: UTF8.self))
            } catch {
                throw ClientError.local("\(ConfigFile.displayName(metrics)): \(error)")
            }
            let replay = ScalingReplay(
                rules: try ScalingRules.parse(rules), minInstances: min, maxInstances: max, rampLimit: rampLimit,
                launchDelay: launchDelay, initialInstances: instances)
            let passes = replay.run(series)
            if json {
                let changes = passes.filter { $0.change != 0 }.map(\.jsonValue)
                output.printJSON(["passes": .array(passes.map(\.jsonValue)), "changes": .array(changes)])
            } else {
                for line in Self.lines(passes) { print(line) }
            }
            ClientOutput.flush()
        } catch let error as ClientError {
            ClientOutput.printError(error.message)
            throw ExitCode(error.exitCode)
        }
    }

    /// A row per pass, then each change with its reason.
    static func lines(_ passes: [ScalingReplay.Pass]) -> [String] {
        let rows = passes.map { pass -> [String] in
            let metrics = pass.metrics.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.number($0.value))" }
            let change = pass.change > 0 ? "+\(pass.change)" : pass.change < 0 ? "\(pass.change)" : ""
            return [
                NumberText.plain(pass.time), "\(pass.count)", "\(pass.reporting)", "\(pass.decision.target)", change,
                "\(pass.after)", metrics.joined(separator: " "),
            ]
        }
        var lines = ClientOutput.aligned([["TIME", "COUNT", "UP", "TARGET", "ACTIONS", "AFTER", "METRICS"]] + rows)
        let changes = passes.filter { $0.change != 0 }
        lines.append("")
        lines.append("changes: \(changes.count)")
        for pass in changes {
            let verb = pass.change > 0 ? "launch \(pass.change)" : "decommission \(-pass.change)"
            lines.append(
                "  at \(NumberText.plain(pass.time)): \(verb) (\(pass.count) → \(pass.after)): \(pass.decision.explanation)"
            )
        }
        return lines
    }

    /// At most three decimals, so a replay prints the same on every platform.
    static func number(_ value: Double) -> String {
        NumberText.plain((value * 1000).rounded() / 1000)
    }
}
