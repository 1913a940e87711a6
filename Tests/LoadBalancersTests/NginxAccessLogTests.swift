import Testing

@testable import LoadBalancers

#if canImport(Glibc)
import Glibc
#endif

@Suite struct NginxAccessLogTests {
    @Test func linesAreSummedPerBackendWithRetriesAndErrors() {
        var totals: [String: NginxAccessLog.Totals] = [:]
        NginxAccessLog.add("1.0|200|100|50|10.0.0.1:80|200|0.010|0.011", to: &totals)
        NginxAccessLog.add("1.0|200|100|50|10.0.0.2:80, 10.0.0.1:80|502, 200|0.001, 0.030|0.031", to: &totals)
        NginxAccessLog.add("1.0|503|10|50|-|-|-|0.000", to: &totals)
        NginxAccessLog.add("1.0|200|100|50|10.0.0.3:80 : 10.0.0.1:80|200 : 200|0.002 : 0.004|0.010", to: &totals)
        #expect(totals["10.0.0.1:80"] == .init(requests: 3, errors: 0, bytes: 450, responseSeconds: 0.044, timed: 3))
        #expect(totals["10.0.0.2:80"] == .init(requests: 0, errors: 1, bytes: 0, responseSeconds: 0, timed: 0))
        #expect(totals["10.0.0.3:80"]?.requests == 1 && totals["10.0.0.3:80"]?.bytes == 0)
        #expect(totals.count == 3, "a request nginx answered itself counts for nobody")
    }

    @Test func readsIncrementallyKeepsPartialLinesAndSurvivesTruncation() throws {
        let path = "/tmp/reactor-access-\(getpid()).log"
        defer { _ = path.withCString { remove($0) } }
        func append(_ text: String) {
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        append("")
        var log = NginxAccessLog(path: path)
        log.skipToEnd()
        append("1|200|1|0|10.0.0.1:80|200|0.001|0.001\n1|200|1|0|10.0.0.1:80|200|0.001|0.")
        #expect(log.readTotals()["10.0.0.1:80"]?.requests == 1, "the unfinished line waits")
        append("001\n")
        #expect(log.readTotals()["10.0.0.1:80"]?.requests == 1, "now the finished line counts, once")
        #expect(log.readTotals().isEmpty, "nothing new")
        _ = truncate(path, 0)
        append("1|200|1|0|10.0.0.2:80|200|0.001|0.001\n")
        #expect(log.readTotals()["10.0.0.2:80"]?.requests == 1, "a truncated log is read from its start")

        log.rotateAt = 10
        append("1|200|1|0|10.0.0.2:80|200|0.001|0.001\n")
        #expect(log.readTotals()["10.0.0.2:80"]?.requests == 1)
        var info = stat()
        stat(path, &info)
        #expect(info.st_size == 0, "a log past rotateAt is truncated once read")
    }

    @Test func weightsBecomeIntegersInProportion() {
        #expect(IntegerWeights.scale([1, 3, 0], maximum: 256) == [1, 3, 0])
        #expect(IntegerWeights.scale([0.5, 1], maximum: 100) == [50, 100])
        #expect(
            IntegerWeights.scale([0.001, 1], maximum: 100) == [1, 100], "a tiny positive weight still gets some traffic"
        )
        #expect(IntegerWeights.scale([300, 600], maximum: 256) == [128, 256])
        #expect(IntegerWeights.scale([0, 0], maximum: 256) == [0, 0])
    }
}
