import ArgumentParser
import Foundation
import ReactorCore

#if canImport(Glibc)
import Glibc
#endif

/// `reactor log NAME`: an endpoint's event log.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Print an endpoint's event log (GET /v1.1/endpoints/NAME/log), optionally following it.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var reading: LogReading
    @Argument(help: "The endpoint's name.") var name: String

    func run() async throws {
        try await options.run { api, out in
            try await reading.print(APIClient.path("endpoints", name, "log"), api: api, out: out)
        }
    }
}

/// `--since`, `--follow` and `--interval`, shared by the endpoint and manager logs.
struct LogReading: ParsableArguments {
    @Option(help: "Only entries after this time: seconds since 1970, or an age such as 90s, 10m, 2h, 1d.")
    var since: String?

    @Flag(name: .shortAndLong, help: "Keep printing new entries until interrupted (Ctrl-C).")
    var follow = false

    @Option(help: "Seconds between polls with --follow.")
    var interval: Double = 1

    func validate() throws {
        if let since, Self.timestamp(since, now: 0) == nil {
            throw ValidationError(
                "--since must be seconds since 1970 or an age such as 90s, 10m, 2h, 1d; got '\(since)'")
        }
        guard interval > 0, interval.isFinite else {
            throw ValidationError("--interval must be a positive number of seconds")
        }
    }

    /// Prints the log at `path`: a table (or JSON) once, or with `--follow` one line per entry as
    /// it arrives (JSON lines with `--json`) until SIGINT or SIGTERM.
    func print(_ path: String, api: APIClient, out: ClientOutput) async throws {
        let start = since.flatMap { Self.timestamp($0, now: Date().timeIntervalSince1970) }
        let first = try await api.get(path, query: start.map { ["since": Self.query($0)] } ?? [:])
        guard follow else {
            if out.json { return out.printJSON(first) }
            out.printTable(["TIME", "SEVERITY", "MESSAGE"], Self.entries(first).map(Self.row))
            return
        }
        var seen = SeenEntries()
        for entry in seen.fresh(Self.entries(first)) { Self.printLine(entry, json: out.json) }
        ClientOutput.flush()
        // Ctrl-C (or SIGTERM) ends a follow normally: what was printed is complete.
        Task {
            await Signals.waitForTermination()
            ClientOutput.flush()
            Glibc.exit(0)
        }
        while true {
            try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            // `since` is exclusive and entries can share a timestamp: ask from a second earlier
            // and drop what was already printed.
            // Until an entry is printed, from `--since` still (not the whole log).
            let from = seen.latest.map { $0 - 1 } ?? start
            let query = from.map { ["since": Self.query($0)] } ?? [:]
            let page = try await api.get(path, query: query)
            for entry in seen.fresh(Self.entries(page)) { Self.printLine(entry, json: out.json) }
            ClientOutput.flush()
        }
    }

    /// `[[ts, severity, message], ...]` as entries; malformed ones are skipped.
    static func entries(_ log: JSONValue) -> [Entry] {
        (log.arrayValue ?? []).compactMap { item in
            guard let fields = item.arrayValue, fields.count >= 3, let time = fields[0].numberValue else { return nil }
            return Entry(
                timestamp: time, severity: ClientOutput.text(fields[1]), message: ClientOutput.text(fields[2]),
                raw: item)
        }
    }

    static func row(_ entry: Entry) -> [String] {
        [ClientOutput.time(entry.timestamp), entry.severity, entry.message]
    }

    static func printLine(_ entry: Entry, json: Bool) {
        Swift.print(json ? entry.raw.jsonText : row(entry).joined(separator: "  "))
    }

    /// `since` as seconds since 1970: a plain number, or now minus an age (`90s`, `10m`, `2h`, `1d`).
    static func timestamp(_ text: String, now: Double) -> Double? {
        if let value = Double(text), value.isFinite { return value }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        guard let unit = text.last.flatMap({ units[$0] }), let amount = Double(text.dropLast()), amount.isFinite,
            amount >= 0
        else { return nil }
        return now - amount * unit
    }

    static func query(_ timestamp: Double) -> String {
        String(format: "%.6f", timestamp)
    }

    /// One log line.
    struct Entry: Sendable, Hashable {
        let timestamp: Double
        let severity: String
        let message: String
        let raw: JSONValue
    }

    /// What `--follow` has printed already, for the entries of the last couple of seconds.
    struct SeenEntries: Sendable {
        private(set) var latest: Double?
        private var recent: Set<Entry> = []

        /// The entries of `page` not printed yet, oldest first; remembers them.
        mutating func fresh(_ page: [Entry]) -> [Entry] {
            let new = page.filter { !recent.contains($0) }
            recent.formUnion(new)
            if let newest = page.map(\.timestamp).max() { latest = max(latest ?? newest, newest) }
            if let latest { recent = recent.filter { $0.timestamp > latest - 2 } }
            return new
        }
    }
}
