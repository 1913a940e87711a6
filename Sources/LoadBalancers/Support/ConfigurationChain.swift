/// Runs a driver's `configure` calls one after the other, in the order they were made.
///
/// Applying a configuration suspends the driver's actor (binding, checking, reloading), so two calls could
/// otherwise interleave; each call here starts only once every earlier one has finished, whether it
/// succeeded or threw.
struct ConfigurationChain: Sendable {
    private var last: Task<Void, any Error>?

    /// Queues `work` behind every earlier call and returns its task, whose value throws what `work` throws.
    mutating func append(_ work: @escaping @Sendable () async throws -> Void) -> Task<Void, any Error> {
        let previous = last
        let next = Task {
            _ = await previous?.result
            try await work()
        }
        last = next
        return next
    }

    /// Waits until every call queued so far has finished.
    func settle() async {
        _ = await last?.result
    }
}
