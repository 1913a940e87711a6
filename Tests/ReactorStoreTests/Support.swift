import Foundation
import ReactorStore
import Testing
import ZooKeeper
import ZooKeeperTesting

/// Runs `body` with a store on a fresh namespace of the shared test ZooKeeper, layout prepared.
func withStore(
    _ name: String = #function, limits: ReactorStore.Limits = .init(),
    _ body: (ReactorStore) async throws -> Void
) async throws {
    let connectString = try await SharedZooKeeper.instance.namespace(String(name.prefix(while: { $0 != "(" })))
    let client = try await ZooKeeperClient.connect(.init(connectString: connectString, connectTimeout: .seconds(30)))
    let store = ReactorStore(client: client, limits: limits)
    do {
        try await store.prepareLayout()
        try await body(store)
    } catch {
        await client.close()
        throw error
    }
    await client.close()
}

/// Expects `body` to throw `expected`.
func expectStoreError(
    _ expected: StoreError, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(expected), but the call succeeded", sourceLocation: sourceLocation)
    } catch let error as StoreError {
        #expect(error == expected, "expected \(expected), got \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(expected), got \(error)", sourceLocation: sourceLocation)
    }
}
