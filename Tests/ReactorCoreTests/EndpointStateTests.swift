import ReactorCore
import Testing

@Suite("Endpoint state")
struct EndpointStateTests {
    @Test(
        "stored state reads with absent and unknown content as PAUSED",
        arguments: [
            ("RUNNING", EndpointState.running), ("STOPPED", .stopped), ("PAUSED", .paused),
            ("running\n", .running), ("", .paused), ("BOGUS", .paused),
        ] as [(String, EndpointState)])
    func storedState(text: String, state: EndpointState) {
        #expect(EndpointState(stored: text) == state, "expected '\(text)' to read as \(state)")
    }

    @Test("absent state node is PAUSED")
    func absentIsPaused() {
        #expect(EndpointState(stored: nil) == .paused, "expected a missing state node to mean PAUSED")
    }

    @Test("API actions map to states")
    func actions() {
        #expect(EndpointState(action: "start") == .running)
        #expect(EndpointState(action: "STOP") == .stopped)
        #expect(EndpointState(action: "pause") == .paused)
        #expect(EndpointState(action: "restart") == nil, "expected unknown actions to be rejected")
    }

    @Test("plans: RUNNING scales, STOPPED targets 0, PAUSED holds without deciding")
    func plans() {
        let decision = ScalingDecision.evaluate(
            rules: ScalingRules(), metrics: [:], reportingInstances: 0, current: 0, minInstances: 2, maxInstances: 2)
        #expect(EndpointState.running.plan { decision } == .scale(decision))
        #expect(EndpointState.running.plan { decision }.target == 2, "expected RUNNING to follow the decision")
        #expect(EndpointState.stopped.plan { decision }.target == 0, "expected STOPPED to target 0")
        var decided = false
        let held = EndpointState.paused.plan {
            decided = true
            return decision
        }
        #expect(held == .hold && held.target == nil, "expected PAUSED to take no action")
        #expect(!decided, "expected PAUSED not to evaluate rules")
    }
}
