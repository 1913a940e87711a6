import Foundation
import Hummingbird
import ReactorCore
import ReactorStore
import Testing
import ZooKeeper

/// `GET …/decision`: the owner's last decision as the store holds it.
@Suite struct DecisionRouteTests {
    @Test func decisionIsNullBeforeTheFirstAndThenTheRecord() async throws {
        try await withAPI { api in
            let id = try await api.makeEndpoint("web", confirming: ["10.0.0.7"])
            let before = try await api.request(.get, "/v1.1/endpoints/web/decision")
            #expect(before.status == .ok && before.text == "null", "\(before.status) \(before.text)")

            let decision = ScalingDecision.evaluate(
                rules: try ScalingRules.parse("2 <= instances <= 4, load <= 5"), metrics: ["load": 20],
                reportingInstances: 3, current: 3, minInstances: 1, maxInstances: 10)
            let record = DecisionRecord(
                time: 1_700_000_000, decision: decision, metrics: ["load": 20], reporting: ["load": 3], rampLimit: 5,
                holds: [(.dryRun, "dry_run is set: 1 action(s) not taken")])
            try await api.store.recordDecision(record, id: id) { operations in
                _ = try await api.zk.multi(operations)
            }
            // The API reads the node through its watch-fed cache: the change shows a moment later.
            var answer: JSONValue?
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                answer = try await api.request(.get, "/v1.1/endpoints/web/decision").json
                if answer != .null { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(answer == record.jsonValue, "the stored record: \(answer?.jsonText ?? "-")")
            #expect(answer?.objectValue?["held"]?.arrayValue?.count == 1, "what held it back")
            #expect(try await api.request(.get, "/v1.0/endpoints/web/decision").json == record.jsonValue)
            let implicit = try await api.request(.get, "/v1.1/endpoint/decision", from: "10.0.0.7")
            #expect(implicit.json == record.jsonValue, "the implicit route: \(implicit.text)")

            // A second record replaces the first.
            let stopped = ScalingDecision.evaluate(
                rules: ScalingRules(), metrics: [:], reportingInstances: 3, current: 3, minInstances: 1,
                maxInstances: 10, state: .stopped)
            let next = DecisionRecord(time: 1_700_000_010, decision: stopped, metrics: [:], rampLimit: 5)
            try await api.store.recordDecision(next, id: id) { operations in _ = try await api.zk.multi(operations) }
            #expect(try await api.store.endpointDecision(id: id) == next.jsonValue, "the store reads the new one")
        }
    }

    @Test func unknownEndpointIs404() async throws {
        try await withAPI { api in
            let reply = try await api.request(.get, "/v1.1/endpoints/nothing/decision")
            #expect(reply.status == .notFound, "\(reply.status) \(reply.text)")
        }
    }
}
