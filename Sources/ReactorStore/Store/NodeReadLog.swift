import Synchronization
import ZooKeeper

/// What one request's reads depended on, so that its answer can be given again, without running
/// the request, for as long as none of those nodes changes.
///
/// A request that wants its answer reused runs inside ``record(_:)``. Every read the store makes
/// then reports here: a read answered by a ``NodeCache`` entry kept current by a watch adds that
/// watch; any other read (straight from ZooKeeper, or a cache entry without a watch) makes the
/// answer not reusable. Once the request is done, ``watches`` says which watches must all still
/// be unfired for the answer to hold.
public final class NodeReadLog: Sendable {
    @TaskLocal static var current: NodeReadLog?

    private let state = Mutex(State())

    private struct State {
        var watches: [Watch] = []
        var reusable = true
    }

    public init() {}

    /// Runs `body` with this log receiving every read the store makes for it.
    public func record<Result: Sendable>(_ body: () async throws -> Result) async rethrows -> Result {
        try await Self.$current.withValue(self, operation: body)
    }

    /// The watches the answer depends on; `nil` when some read was not covered by a watch, or
    /// when nothing was read through a watch at all.
    public var watches: [Watch]? {
        state.withLock { $0.reusable && !$0.watches.isEmpty ? $0.watches : nil }
    }

    /// Notes a read answered from data a watch keeps current.
    public static func dependsOn(_ watch: Watch) {
        current?.state.withLock { $0.watches.append(watch) }
    }

    /// Notes a read no watch covers: the answer must be computed afresh every time.
    public static func notCovered() {
        current?.state.withLock { $0.reusable = false }
    }
}
