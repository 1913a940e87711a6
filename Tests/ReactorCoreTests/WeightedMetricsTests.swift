import ReactorCore
import Testing

@Suite("Weighted metrics")
struct WeightedMetricsTests {
    @Test("averages are weighted by the sample weights")
    func weightedAverage() {
        var metrics = WeightedMetrics()
        metrics.add(["active": [1, 10], "rate": [2, 4]], from: "10.0.0.1")
        metrics.add(["active": [3, 30]], from: "10.0.0.2")
        #expect(metrics.averages == ["active": 25, "rate": 4], "expected active (10 + 90) / 4 = 25 and rate 4")
        #expect(metrics.reporters == ["active": 2, "rate": 1], "expected 2 active reporters and 1 rate reporter")
        #expect(metrics.rejected.isEmpty, "expected no rejected samples")
    }

    @Test("values near the largest number average without overflowing")
    func largeValues() {
        var metrics = WeightedMetrics()
        metrics.add(["big": [1e307, 1.7e308], "spread": [1, 1.7e308]], from: "10.0.0.1")
        metrics.add(["big": [1e307, 1.7e308], "spread": [1, -1.7e308]], from: "10.0.0.2")
        #expect(metrics.averages == ["big": 1.7e308, "spread": 0], "Σ(w·v) would be infinite; the averages are not")
        metrics.add(["big": [1.7e308, 1]], from: "10.0.0.3")
        #expect(metrics.averages["big"] == 1.7e308, "weights that cannot be added up leave the average as it was")
        #expect(metrics.rejected.map(\.reason) == ["the weights of 'big' add up to more than a number can hold"])
    }

    @Test("balancer reports count each backend host once across managers")
    func balancerReports() {
        var metrics = WeightedMetrics()
        metrics.addBalancerReport([
            "10.0.0.1:80": [["active": [1, 4]], ["rate": [1, 2]]],
            "[::1]:80": [["active": [1, 8]]],
        ])
        metrics.addBalancerReport(["10.0.0.1:80": [["active": [1, 6]]]])
        #expect(metrics.averages["active"] == 6, "expected (4 + 8 + 6) / 3 = 6")
        #expect(metrics.reporters["active"] == 2, "expected 10.0.0.1 and ::1 as the two active reporters")
    }

    @Test("custom metrics count in the averages but not as reporting instances")
    func customMetrics() {
        var metrics = WeightedMetrics()
        metrics.add(["queue": [1, 12]], from: nil)
        #expect(metrics.averages == ["queue": 12])
        #expect(metrics.reporters["queue"] == nil, "expected no instance count for an endpoint-wide metric")
    }

    @Test(
        "malformed entries are skipped and reported",
        arguments: [
            ("not an array", ["active": "5"], "expected [weight, value]"),
            ("wrong length", ["active": [1, 2, 3]], "expected 2 elements [weight, value], found 3"),
            ("non-numeric weight", ["active": ["1", 2]], "weight is not a number"),
            ("non-numeric value", ["active": [1, nil]], "value is not a number"),
            ("non-finite value", ["active": [1, .number(.infinity)]], "weight and value must be finite"),
            ("zero weight", ["active": [0, 5]], "weight must be greater than 0"),
            ("negative weight", ["active": [-1, 5]], "weight must be greater than 0"),
        ] as [(String, JSONValue, String)])
    func malformed(name: String, sample: JSONValue, reason: String) {
        var metrics = WeightedMetrics()
        metrics.add(sample, from: "10.0.0.9")
        metrics.add(["active": [1, 7]], from: "10.0.0.1")
        #expect(metrics.averages == ["active": 7], "expected the \(name) entry to be ignored")
        #expect(metrics.reporters == ["active": 1], "expected the \(name) sender not to count as a reporter")
        #expect(metrics.rejected.map(\.reason) == [reason], "expected one rejection: \(reason)")
        #expect(metrics.rejected.first?.instance == "10.0.0.9", "expected the rejection to name the sender")
    }

    @Test("a sample that is not an object is rejected as a whole")
    func nonObjectSample() {
        var metrics = WeightedMetrics()
        metrics.add([1, 2], from: "10.0.0.1")
        metrics.addBalancerReport("garbage")
        #expect(metrics.averages.isEmpty, "expected nothing to be averaged")
        #expect(metrics.rejected.count == 3, "expected both array elements and the report to be rejected")
        #expect(
            metrics.rejected[0].description
                == "sample from 10.0.0.1: expected an object {metric: [weight, value]} (got 1)",
            "expected a readable rejection, got \(metrics.rejected[0])")
    }

    @Test("rejections describe metric, sender and value")
    func rejectionDescription() {
        var metrics = WeightedMetrics()
        metrics.add(["active": [0, 5]], from: "10.0.0.1")
        #expect(
            metrics.rejected.first?.description
                == "metric 'active' from 10.0.0.1: weight must be greater than 0 (got [0,5])")
    }

    @Test(
        "backend keys map to their host",
        arguments: [
            ("10.0.0.1:80", "10.0.0.1"), ("[fe80::1]:8080", "fe80::1"), ("10.0.0.1", "10.0.0.1"),
            ("fe80::1", "fe80::1"),
        ])
    func backendHost(backend: String, host: String) {
        #expect(WeightedMetrics.instance(ofBackend: backend) == host, "expected \(backend) → \(host)")
    }
}
