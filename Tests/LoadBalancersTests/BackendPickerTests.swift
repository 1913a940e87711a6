import Testing

@testable import LoadBalancers

@Suite struct BackendPickerTests {
    let a = Backend(ip: "10.0.0.1", port: 80, weight: 1)
    let b = Backend(ip: "10.0.0.2", port: 80, weight: 2)

    @Test func roundRobinInterleavesByWeight() {
        var picker = BackendPicker(backends: [a, b], algorithm: .roundRobin)
        let picks = (0..<6).compactMap { _ in picker.pick(active: { _ in 0 })?.ip }
        #expect(picks == ["10.0.0.2", "10.0.0.1", "10.0.0.2", "10.0.0.2", "10.0.0.1", "10.0.0.2"])
    }

    @Test func leastConnectionsDividesByWeight() {
        var picker = BackendPicker(backends: [a, b], algorithm: .leastConnections)
        let active = ["10.0.0.1:80": 1, "10.0.0.2:80": 1]
        #expect(picker.pick(active: { active[$0] ?? 0 }) == b, "1/2 active per weight beats 1/1")
    }

    @Test func excludedAndZeroWeightBackendsAreSkipped() {
        let idle = Backend(ip: "10.0.0.3", port: 80, weight: 0)
        var picker = BackendPicker(backends: [a, b, idle], algorithm: .roundRobin)
        #expect(picker.pick(excluding: [b.address], active: { _ in 0 }) == a)
        #expect(picker.pick(excluding: [a.address, b.address], active: { _ in 0 }) == nil)
    }
}
