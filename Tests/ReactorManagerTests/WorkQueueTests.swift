import Testing

@testable import ReactorManager

/// The controller's keyed work queue as a value: deduplication, one worker per key, marks while
/// running, per-key backoff, delayed marks. No clock: instants are passed in.
@Suite("Work queue")
struct WorkQueueTests {
    typealias Queue = WorkQueue<String, ContinuousClock.Instant>
    let t0 = ContinuousClock.now

    @Test func marksOfOneKeyCollapse() {
        var queue = Queue()
        queue.mark("a")
        queue.mark("b")
        queue.mark("a")
        #expect(queue.readyCount == 2, "a is queued once")
        #expect(queue.next(now: t0) == "a")
        #expect(queue.next(now: t0) == "b")
        #expect(queue.next(now: t0) == nil)
    }

    @Test func aKeyIsNeverHandedOutTwiceAtOnce() {
        var queue = Queue()
        queue.mark("a")
        #expect(queue.next(now: t0) == "a")
        queue.mark("a")
        #expect(queue.next(now: t0) == nil, "held by a worker: not handed out again")
        queue.done("a", succeeded: true, now: t0)
        #expect(queue.next(now: t0) == "a", "the mark made meanwhile queues it once it is done")
        queue.done("a", succeeded: true, now: t0)
        #expect(queue.next(now: t0) == nil, "and only once")
    }

    @Test func failuresBackOffPerKeyAndASuccessForgetsThem() {
        var queue = Queue(baseDelay: .seconds(1), maxDelay: .seconds(5))
        queue.mark("a")
        queue.mark("b")
        _ = queue.next(now: t0)
        #expect(queue.done("a", succeeded: false, now: t0) == .seconds(1))
        #expect(queue.next(now: t0) == "b", "b is not held back by a's failure")
        queue.done("b", succeeded: true, now: t0)
        #expect(queue.next(now: t0 + .milliseconds(999)) == nil, "a waits its backoff")
        #expect(queue.next(now: t0 + .seconds(1)) == "a")
        #expect(queue.done("a", succeeded: false, now: t0 + .seconds(1)) == .seconds(2), "doubled")
        _ = queue.next(now: t0 + .seconds(3))
        #expect(queue.done("a", succeeded: false, now: t0 + .seconds(3)) == .seconds(4))
        _ = queue.next(now: t0 + .seconds(7))
        #expect(queue.done("a", succeeded: false, now: t0 + .seconds(7)) == .seconds(5), "at most maxDelay")
        _ = queue.next(now: t0 + .seconds(12))
        #expect(queue.done("a", succeeded: true, now: t0 + .seconds(12)) == nil)
        #expect(queue.failureCount("a") == 0, "a success forgets the failures")
    }

    @Test func aDelayedMarkFallsDueAndAnEarlierOneWins() {
        var queue = Queue()
        queue.mark("a", at: t0 + .seconds(10))
        queue.mark("a", at: t0 + .seconds(4))
        queue.mark("a", at: t0 + .seconds(8))
        #expect(queue.nextDue == t0 + .seconds(4), "the earliest mark is kept")
        #expect(queue.next(now: t0 + .seconds(3)) == nil)
        #expect(queue.next(now: t0 + .seconds(4)) == "a")
        #expect(queue.nextDue == nil)
    }

    @Test func aMarkNowOvertakesADelayedOne() {
        var queue = Queue()
        queue.mark("a", at: t0 + .seconds(10))
        queue.mark("a")
        #expect(queue.next(now: t0) == "a")
        #expect(queue.nextDue == nil, "the delayed mark was folded into the one now")
    }

    @Test func aDelayedMarkFallingDueWhileRunningRunsAfter() {
        var queue = Queue()
        queue.mark("a")
        _ = queue.next(now: t0)
        queue.mark("a", at: t0 + .seconds(1))
        #expect(queue.next(now: t0 + .seconds(2)) == nil, "still held")
        queue.done("a", succeeded: true, now: t0 + .seconds(2))
        #expect(queue.next(now: t0 + .seconds(2)) == "a", "then it runs")
    }

    @Test func forgottenKeysLeaveNoTrace() {
        var queue = Queue()
        queue.mark("a")
        queue.mark("b", at: t0 + .seconds(1))
        queue.forget("a")
        queue.forget("b")
        #expect(queue.next(now: t0 + .seconds(5)) == nil)
        #expect(queue.readyCount == 0 && queue.nextDue == nil)
    }
}
