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

    @Test("decisions: RUNNING follows the rules, STOPPED targets 0, PAUSED keeps the count")
    func decisionsByState() {
        func decide(_ state: EndpointState) -> ScalingDecision {
            ScalingDecision.evaluate(
                rules: ScalingRules(), metrics: [:], reportingInstances: 0, current: 3, minInstances: 2,
                maxInstances: 2, state: state)
        }
        #expect(decide(.running).target == 2, "expected RUNNING to follow min_instances without rules")
        #expect(decide(.stopped).target == 0, "expected STOPPED to target 0")
        #expect(decide(.paused).target == 3 && decide(.paused).actions(rampLimit: 5) == 0, "expected PAUSED to hold")
        #expect(decide(.paused).explanation.hasPrefix("endpoint is PAUSED"), "expected PAUSED to say so")
    }
}
