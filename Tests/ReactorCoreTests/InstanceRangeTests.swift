import ReactorCore
import Testing

@Suite("Instance range")
struct InstanceRangeTests {
    @Test("intersection of overlapping and disjoint ranges")
    func intersection() {
        let a = InstanceRange(lower: 2, upper: 8)
        #expect(a.intersection(InstanceRange(lower: 5)) == InstanceRange(lower: 5, upper: 8))
        #expect(a.intersection(InstanceRange(lower: 9)) == nil, "expected 2…8 and 9…∞ not to overlap")
        #expect(InstanceRange.all.intersection(a) == a, "expected 0…∞ to be neutral")
    }

    @Test("description spells unbounded ranges with ∞")
    func description() {
        #expect(InstanceRange(lower: 4, upper: 10).description == "4…10")
        #expect(InstanceRange(lower: 4).description == "4…∞")
    }
}
