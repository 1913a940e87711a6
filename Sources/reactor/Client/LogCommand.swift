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
            // Followed by its uuid: after a rename the log is read under the new name.
            let id = reading.follow ? try await Self.endpointID(named: name, api: api) : nil
            try await reading.print(APIClient.path("endpoints", name, "log"), api: api, out: out) {
                guard let id, let renamed = try await Self.name(ofID: id, api: api) else { return nil }
                FileHandle.standardError.write(
                    Data("reactor: endpoint '\(name)' is now '\(renamed)'; following it\n".utf8))
                return APIClient.path("endpoints", renamed, "log")
            }
        }
    }

    /// The uuid of endpoint `name` (GET /v1.1/summary); nil when it is not listed.
    static func endpointID(named name: String, api: APIClient) async throws -> String? {
        let summary = try await api.get(APIClient.path("summary"))
        let entry = summary.objectValue?["endpoints"]?.arrayValue?.first {
            $0.objectValue?["name"]?.stringValue == name
        }
        return entry?.objectValue?["id"]?.stringValue
    }

    /// A name of the endpoint with uuid `id`, nil when it has none any more.
    static func name(ofID id: String, api: APIClient) async throws -> String? {
        let summary = try await api.get(APIClient.path("summary"))
        let entry = summary.objectValue?["endpoints"]?.arrayValue?.first {
            $0.objectValue?["id"]?.stringValue == id && $0.objectValue?["alias_of"] == .null
        }
        return entry?.objectValue?["name"]?.stringValue
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
    ///   - moved: while following, where the log went when its path answers 404 (an endpoint
    ///     renamed); nil: it is gone, and so is the follow.
    func print(
        _ path: String, api: APIClient, out: ClientOutput, moved: (() async throws -> String?)? = nil
    ) async throws {
        var path = path
        let start = since.flatMap { Self.timestamp($0, now: Date().timeIntervalSince1970) }
        let first = try await api.get(path, query: start.map { ["since": Self.query($0)] } ?? [:])
        guard follow else {
            if out.json { return out.printJSON(first) }
            out.printTable(["TIME", "SEVERITY", "MESSAGE"], Self.entries(first).map(Self.row))
            return
        }
        var seen = SeenEntries()
        // The table's header and columns, one row per entry as it arrives.
        if !out.json { Swift.print(Self.line(["TIME", "SEVERITY", "MESSAGE"])) }
        for entry in seen.fresh(Self.entries(first)) { Self.printLine(entry, json: out.json) }
        ClientOutput.flush()
        // Ctrl-C (or SIGTERM) ends a follow normally: what was printed is complete.
        Task {
            await waitForTerminationSignal()
            ClientOutput.flush()
            Glibc.exit(0)
        }
        while true {
            try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            // `since` is exclusive and entries can share a timestamp: ask from a second earlier
            // and drop what was already printed.
            // Never before --since, also while nothing has been printed yet.
            let from = seen.latest.map { max($0 - 1, start ?? -Double.infinity) } ?? start
            let query = from.map { ["since": Self.query($0)] } ?? [:]
            guard let page = try await Self.getUnlessGone(path, query: query, api: api, followed: moved != nil) else {
                guard let next = try await moved?() else {
                    throw ClientError.api(status: 404, message: "the log is gone (its endpoint was deleted)")
                }
                path = next
                continue
            }
            let entries = Self.entries(page).filter { entry in start.map { entry.timestamp > $0 } ?? true }
            for entry in seen.fresh(entries) { Self.printLine(entry, json: out.json) }
            ClientOutput.flush()
        }
    }

    /// The page at `path`; nil when it answers 404 and the caller can follow the log elsewhere.
    static func getUnlessGone(
        _ path: String, query: [String: String], api: APIClient, followed: Bool
    ) async throws -> JSONValue? {
        do {
            return try await api.get(path, query: query)
        } catch {
            if followed, case .api(status: 404, _) = error { return nil }
            throw error
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
        Swift.print(json ? entry.raw.jsonText : line(row(entry)))
    }

    /// A row of `--follow`'s table: the time and severity columns at their widest, as the table
    /// without `--follow` aligns them.
    static func line(_ fields: [String]) -> String {
        let widths = [19, 8]
        return zip(fields.dropLast(), widths).map { field, width in
            field.padding(toLength: max(width, field.count), withPad: " ", startingAt: 0)
        }.joined(separator: "  ") + "  " + (fields.last ?? "")
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
