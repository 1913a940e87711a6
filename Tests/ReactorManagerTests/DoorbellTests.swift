import Testing

@testable import ReactorManager

/// The loop's wake-ups: a ring is kept for the next wait; a latch stays rung, so a ring that
/// reached a wait whose result `firstOf` dropped is still there for the next one (the pass that
/// waited for its endpoints' work used to wait for good when that happened).
@Suite("Doorbell")
struct DoorbellTests {
    @Test(.timeLimit(.minutes(1))) func aRingIsKeptForOneWait() async {
        let bell = Doorbell()
        bell.ring()
        await bell.wait()
        let second = await firstOf(
            [
                {
                    await bell.wait()
                    return "rung"
                },
                {
                    try? await Task.sleep(for: .milliseconds(100))
                    return "slept"
                },
            ], otherwise: "none")
        #expect(second == "slept", "one ring, one wait")
    }

    @Test(.timeLimit(.minutes(1))) func aLatchStaysRungWhenTheWaitThatSawItLostTheRace() async {
        let done = Doorbell(sticky: true)
        // Both finish at once: firstOf keeps one, and the latch's ring must survive the other.
        for _ in 0..<50 {
            let bell = Doorbell()
            let latch = Doorbell(sticky: true)
            let wake = await firstOf(
                [
                    {
                        await latch.wait()
                        return "done"
                    },
                    {
                        await bell.wait()
                        return "bell"
                    },
                    {
                        bell.ring()
                        latch.ring()
                        return "rang"
                    },
                ], otherwise: "none")
            #expect(["done", "bell", "rang"].contains(wake))
            await latch.wait()  // returns at once, whoever won
        }
        done.ring()
        await done.wait()
        await done.wait()
    }
}
