import Testing

@testable import LoadBalancers

/// The rules of a tcp balancer connection's life, without sockets: events in, actions out.
@Suite struct ConnectionStateTests {
    @Test func aNewConnectionIsRoutingAndIgnoresReadiness() {
        var state = ConnectionState()
        #expect(state.stage == .routing)
        #expect(state.socketReady(fromClient: true, readable: true, writable: true, failed: false) == .none)
        #expect(state.up.sourceReadable, "what the client sent should be remembered for later")
        #expect(state.down.destinationWritable, "the accepted client socket takes bytes")
    }

    @Test func theBackendBecomingWritableFinishesTheConnect() {
        var state = ConnectionState()
        state.phase = .connecting
        #expect(state.stage == .connecting)
        #expect(state.socketReady(fromClient: true, readable: true, writable: false, failed: false) == .none)
        #expect(state.socketReady(fromClient: false, readable: false, writable: true, failed: false) == .finishConnect)
        #expect(state.up.destinationWritable, "the backend takes the client's bytes")
        state.connected(at: 100)
        #expect(state.stage == .forwarding)
        #expect(state.lastActivity == 100, "idleness is counted from the connect")
    }

    @Test func aFailedBackendEndsTheConnectWithItsResult() {
        var state = ConnectionState()
        state.phase = .connecting
        #expect(state.socketReady(fromClient: false, readable: false, writable: false, failed: true) == .finishConnect)
    }

    @Test func aFailedAttemptForgetsTheBackendSideOnly() {
        var state = ConnectionState()
        state.phase = .connecting
        _ = state.socketReady(fromClient: true, readable: true, writable: false, failed: false)
        _ = state.socketReady(fromClient: false, readable: true, writable: true, failed: false)
        state.connectFailed()
        #expect(state.stage == .routing)
        #expect(state.up.sourceReadable, "the client's waiting request is still to be read")
        #expect(!state.up.destinationWritable && !state.down.sourceReadable, "the next backend starts over")
    }

    @Test func everyEventOfAForwardingConnectionServesIt() {
        var state = ConnectionState()
        state.connected(at: 0)
        #expect(state.socketReady(fromClient: true, readable: true, writable: false, failed: false) == .serve)
        #expect(state.socketReady(fromClient: false, readable: false, writable: true, failed: false) == .serve)
        #expect(state.socketReady(fromClient: false, readable: false, writable: false, failed: true) == .serve)
    }

    @Test func oneEndedSideIsHalfClosedAndBothDoneCloses() {
        var state = ConnectionState()
        state.connected(at: 0)
        state.up.sourceEnded = true
        state.up.destinationShut = true
        #expect(state.stage == .halfClosed)
        #expect(state.turnEnded(moved: false, more: false, at: 1) == .wait)
        state.down.sourceEnded = true
        state.down.destinationShut = true
        #expect(state.turnEnded(moved: true, more: false, at: 2) == .close(reason: "both sides done"))
    }

    @Test func undeliveredBytesKeepADirectionOpen() {
        var state = ConnectionState()
        state.connected(at: 0)
        for flow in [\ConnectionState.up, \ConnectionState.down] {
            state[keyPath: flow].sourceEnded = true
            state[keyPath: flow].destinationShut = true
        }
        state.down.pending = [1, 2, 3]
        #expect(!state.down.isDone, "three bytes are still to be delivered")
        #expect(state.turnEnded(moved: false, more: false, at: 1) == .wait)
    }

    @Test func aTurnWithInputLeftIsServedAgain() {
        var state = ConnectionState()
        state.connected(at: 0)
        #expect(state.turnEnded(moved: true, more: true, at: 5) == .again)
        #expect(state.lastActivity == 5)
    }

    @Test func idlenessCountsFromTheLastByteMoved() {
        var state = ConnectionState()
        #expect(!state.isIdle(at: 10_000, timeout: 10), "only forwarding connections go idle")
        state.connected(at: 0)
        #expect(!state.isIdle(at: 9, timeout: 10))
        #expect(state.isIdle(at: 10, timeout: 10))
        _ = state.turnEnded(moved: true, more: false, at: 10)
        #expect(!state.isIdle(at: 15, timeout: 10), "a byte moved at 10")
        _ = state.turnEnded(moved: false, more: false, at: 30)
        #expect(state.isIdle(at: 30, timeout: 10), "a turn without bytes is no activity")
        #expect(!state.isIdle(at: 1_000_000, timeout: 0), "idle_timeout 0 never closes")
        state.isClosed = true
        #expect(state.stage == .closing)
        #expect(!state.isIdle(at: 1_000_000, timeout: 10), "a closed connection is not closed again")
    }

    @Test func aHeldClientIsClosedOnlyWhenItGoes() {
        var state = ConnectionState()
        state.phase = .held(deadline: 50)
        #expect(state.stage == .held)
        #expect(state.socketReady(fromClient: true, readable: true, writable: true, failed: false) == .none)
        #expect(
            state.socketReady(fromClient: true, readable: false, writable: false, failed: true)
                == .close(reason: "client gone while held"))
    }

    @Test func aLingeringClientIsDrainedWhenItSends() {
        var state = ConnectionState()
        state.phase = .lingering(deadline: 50)
        #expect(state.stage == .lingering)
        #expect(state.socketReady(fromClient: true, readable: false, writable: true, failed: false) == .none)
        #expect(state.socketReady(fromClient: true, readable: true, writable: false, failed: false) == .drainLingering)
    }
}
