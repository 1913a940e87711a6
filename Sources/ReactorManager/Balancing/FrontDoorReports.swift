import Foundation
import Logging
import ReactorCore
import ReactorStore

/// What every front door published, read once per pass by an owner.
struct FrontDoorReports: Sendable {
    /// `ip:port` → one sample `{metric: [weight, value]}` combining every manager's balancers:
    /// counts and rates (``additive``) are summed over front doors, since each sees its own share
    /// of the traffic; other metrics (`response`) are averaged.
    var samples: [String: JSONValue] = [:]
    /// url → held connections summed over managers.
    var pending: [String: Int] = [:]

    /// Metrics a front door reports for its share of a backend's traffic.
    static let additive: Set<String> = ["active", "rate", "bytes", "errors"]

    /// Reads every manager's reports; unreadable ones (connection loss) count as none this pass,
    /// with a warning on `logger`.
    /// One kind of every manager's reports; none when they cannot be read.
    static func stored(
        _ kind: ReactorStore.FrontDoorReport, from store: ReactorStore, logger: Logger
    ) async -> [JSONValue] {
        do {
            return try await store.frontDoorReports(kind)
        } catch {
            logger.warning("cannot read the front doors' \(kind) reports; none this pass: \(error)")
            return []
        }
    }

    static func read(_ store: ReactorStore, logger: Logger) async -> FrontDoorReports {
        var reports = FrontDoorReports()
        var collected: [String: [JSONValue]] = [:]
        for json in await stored(.metrics, from: store, logger: logger) {
            guard case .object(let backends) = json else { continue }
            for (address, value) in backends {
                collected[address, default: []] += value.arrayValue ?? [value]
            }
        }
        for (address, list) in collected { reports.samples[address] = combine(list) }
        for json in await stored(.pending, from: store, logger: logger) {
            guard case .object(let urls) = json else { continue }
            for (url, count) in urls { reports.pending[url, default: 0] += Int(count.numberValue ?? 0) }
        }
        return reports
    }

    /// One backend's samples from several front doors as one sample; entries out of form are
    /// left out.
    static func combine(_ samples: [JSONValue]) -> JSONValue {
        var totals: [String: (weight: Double, total: Double, count: Int)] = [:]
        for case .object(let metrics) in samples {
            for (name, entry) in metrics {
                guard let pair = entry.arrayValue, pair.count == 2, let weight = pair[0].numberValue,
                    let value = pair[1].numberValue, weight.isFinite, value.isFinite
                else { continue }
                var running = totals[name] ?? (weight, 0, 0)
                running.weight = max(running.weight, weight)
                running.total += value
                running.count += 1
                totals[name] = running
            }
        }
        var combined: [String: JSONValue] = [:]
        for (name, entry) in totals {
            let value = additive.contains(name) ? entry.total : entry.total / Double(entry.count)
            combined[name] = .array([.number(entry.weight), .number(value)])
        }
        return .object(combined)
    }

    /// Failed connections or requests the front doors reported this pass, by instance IP (only
    /// those among `ips` with some).
    func errors(of ips: Set<String>) -> [String: Double] {
        let index = BackendAddressIndex(ips)
        var result: [String: Double] = [:]
        for (key, sample) in samples {
            guard let ip = index.address(ofKey: key),
                let errors = sample.objectValue?["errors"]?.arrayValue?.last?.numberValue, errors > 0
            else { continue }
            result[ip, default: 0] += errors
        }
        return result
    }

    /// The backends (`ip:port`) among `ips` with open connections, sorted.
    func activeBackends(of ips: Set<String>) -> [String] {
        let index = BackendAddressIndex(ips)
        return samples.compactMap { key, sample -> String? in
            guard index.address(ofKey: key) != nil,
                let active = sample.objectValue?["active"]?.arrayValue?.last?.numberValue, active > 0
            else { return nil }
            return key
        }.sorted()
    }
}
