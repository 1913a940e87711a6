import Foundation
import Testing
import ZooKeeper
import ZooKeeperTesting

/// A client connected to a fresh namespace of the shared test server.
func connectedClient(
    _ name: String = #function, sessionTimeout: Duration = .seconds(10)
) async throws -> (ZooKeeperClient, String) {
    let connectString = try await SharedZooKeeper.instance.namespace(name)
    let client = try await ZooKeeperClient.connect(
        .init(connectString: connectString, sessionTimeout: sessionTimeout, connectTimeout: .seconds(30)))
    return (client, connectString)
}

/// Runs `body` with a client in a fresh namespace and closes the client afterwards.
func withTestClient(
    _ name: String = #function, sessionTimeout: Duration = .seconds(10),
    _ body: (ZooKeeperClient, String) async throws -> Void
) async throws {
    let (client, connectString) = try await connectedClient(name, sessionTimeout: sessionTimeout)
    do {
        try await body(client, connectString)
    } catch {
        await client.close()
        throw error
    }
    await client.close()
}

/// Expects `body` to throw a ``ZooKeeperError`` with `code`, and returns it.
@discardableResult
func expectZooKeeperError(
    _ code: ZooKeeperError.Code, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> ZooKeeperError? {
    do {
        try await body()
        Issue.record(
            "expected ZooKeeper error \(code), but the call succeeded \(comment.map { "— \($0)" } ?? "")",
            sourceLocation: sourceLocation)
        return nil
    } catch let error as ZooKeeperError {
        #expect(error.code == code, "expected \(code), got \(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected ZooKeeper error \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Collects the states a client reports, for later assertions.
final class StateRecorder: @unchecked Sendable {
    // @unchecked: `states` is guarded by `lock`.
    private let lock = NSLock()
    private var states: [ConnectionState] = []
    private var task: Task<Void, Never>?

    init(_ client: ZooKeeperClient) {
        let stream = client.connectionStates()
        task = Task { [weak self] in
            for await state in stream { self?.append(state) }
        }
    }

    private func append(_ state: ConnectionState) {
        lock.withLock { states.append(state) }
    }

    var seen: [ConnectionState] { lock.withLock { states } }

    func waitFor(_ state: ConnectionState, timeout: Duration = .seconds(30)) async throws {
        try await eventually("connection state \(state) (seen \(seen))", timeout: timeout) { seen.contains(state) }
    }

    /// Waits until `state` is seen after the last `earlier` (a reconnection after an expiry, say).
    func waitFor(
        _ state: ConnectionState, after earlier: ConnectionState, timeout: Duration = .seconds(30)
    ) async throws {
        try await eventually("connection state \(state) after \(earlier) (seen \(seen))", timeout: timeout) {
            let states = seen
            guard let last = states.lastIndex(of: earlier) else { return false }
            return states[last...].contains(state)
        }
    }

    deinit { task?.cancel() }
}

extension Array where Element == UInt8 {
    init(_ string: String) { self = Array(string.utf8) }
}
