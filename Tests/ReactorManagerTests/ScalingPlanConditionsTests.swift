import ReactorCore
import Testing

@testable import ReactorManager

/// The conditions a pass shows of an endpoint's instances and rules, without ZooKeeper.
@Suite("Scaling plan conditions")
struct ScalingPlanConditionsTests {
    typealias Plan = ScalingPlanTests

    static func config(rules: String, loadBalancer: LoadBalancerDriverKind? = nil) throws -> EndpointConfig {
        var config = Plan.config()
        config.scaling.rules = try ScalingRules.parse(rules)
        config.loadBalancer = loadBalancer
        return config
    }

    @Test func aHealthyEndpointShowsNone() {
        let plan = ScalingPlan(Plan.snapshot(active: [Plan.instance(1)]))
        #expect(plan.conditions.isEmpty, "a confirmed instance and no rules: no condition, got \(plan.conditions)")
    }

    @Test func anInstanceUnconfirmedPastHalfItsTimeoutShowsBackendUnconfirmed() throws {
        var config = Plan.config()
        config.unregisteredTimeout = 100
        let young = ScalingPlan(
            Plan.snapshot(
                config, active: [Plan.instance(1)], unconfirmed: ["i1"], marks: ["i1": Plan.marks(unregistered: 30)]))
        #expect(young.conditions[.backendUnconfirmed] == nil, "40 s unconfirmed of 100: not yet a problem")
        let old = ScalingPlan(
            Plan.snapshot(
                config, active: [Plan.instance(1)], unconfirmed: ["i1"], marks: ["i1": Plan.marks(unregistered: 45)]))
        let reason = try #require(old.conditions[.backendUnconfirmed], "55 s unconfirmed of 100 is")
        #expect(reason.contains("web-1"), "the reason names the instance: \(reason)")
    }

    @Test func anInstanceDeletedUnconfirmedKeepsTheConditionUntilOneIsConfirmed() throws {
        var config = Plan.config()
        config.unregisteredTimeout = 100
        let deleted = ScalingPlan(
            Plan.snapshot(
                config, active: [Plan.instance(1)], unconfirmed: ["i1"], marks: ["i1": Plan.marks(unregistered: 95)]))
        let reason = try #require(deleted.conditions[.backendUnconfirmed], "the pass deleting it shows it")
        #expect(reason.contains("deleted"), "and says the instance was deleted: \(reason)")

        // Its replacement, unconfirmed for a short while: the condition still holds.
        var replacement = Plan.snapshot(config, active: [Plan.instance(2)], unconfirmed: ["i2"])
        replacement.backendsWereUnconfirmed = true
        #expect(ScalingPlan(replacement).conditions[.backendUnconfirmed] != nil, "held until one is confirmed")

        // Confirmed: cleared.
        var confirmed = Plan.snapshot(config, active: [Plan.instance(2)])
        confirmed.backendsWereUnconfirmed = true
        #expect(ScalingPlan(confirmed).conditions[.backendUnconfirmed] == nil, "cleared once an instance is confirmed")
    }

    @Test func aRuleOnAMetricNobodyReportsShowsMetricUnreported() throws {
        let plan = ScalingPlan(Plan.snapshot(try Self.config(rules: "1 <= queue <= 10"), active: [Plan.instance(1)]))
        let reason = try #require(plan.conditions[.metricUnreported], "a custom metric nothing reports is a problem")
        #expect(reason.contains("queue"), "the reason names the metric: \(reason)")
    }

    @Test func balancerMetricsBehindABalancerAreNoProblemWhenIdle() throws {
        let behind = ScalingPlan(
            Plan.snapshot(try Self.config(rules: "2 <= active <= 8", loadBalancer: .tcp), active: [Plan.instance(1)]))
        #expect(behind.conditions[.metricUnreported] == nil, "no traffic yet is not a missing metric")
        let alone = ScalingPlan(Plan.snapshot(try Self.config(rules: "2 <= active <= 8"), active: [Plan.instance(1)]))
        #expect(alone.conditions[.metricUnreported] != nil, "without a balancer nothing will report 'active'")
    }

    @Test func aStoppedEndpointShowsNone() throws {
        var config = try Self.config(rules: "1 <= queue <= 10")
        config.unregisteredTimeout = 10
        let plan = ScalingPlan(
            Plan.snapshot(
                config, state: .stopped, active: [Plan.instance(1)], unconfirmed: ["i1"],
                marks: ["i1": Plan.marks(unregistered: 9)]))
        #expect(plan.conditions.isEmpty, "a STOPPED endpoint has nothing to do: \(plan.conditions)")
    }

    @Test func conditionsKeepTheirStartWhileTheyHold() {
        var conditions = EndpointConditions()
        var changed = conditions.observe([.launchFailing: "no command"], now: 100, source: "a")
        #expect(changed, "set: a change")
        changed = conditions.observe([.launchFailing: "no command"], now: 110, source: "a")
        #expect(!changed, "the same: no write")
        changed = conditions.observe([.launchFailing: "pool used up"], now: 120, source: "a")
        #expect(changed, "a new reason is")
        #expect(conditions.current[.launchFailing]?.since == 100, "since stays the first sighting")
        #expect(conditions.current[.launchFailing]?.lastSeen == 120, "last_seen moves")
        changed = conditions.observe(
            [.launchFailing: "pool used up"], now: 120 + EndpointConditions.refreshAfter, source: "a")
        #expect(changed, "an old last_seen is written again")
        changed = conditions.observe([:], now: 400, source: "a")
        #expect(changed, "cleared: a change")
        #expect(conditions.current.isEmpty)
        let json = EndpointConditions([
            EndpointCondition(kind: .noManager, reason: "r", since: 1, lastSeen: 2, source: "api")
        ]).json
        #expect(EndpointCondition.list(json).first?.reason == "r", "the JSON form reads back")
    }
}
