import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Named places between the steps of a change that takes several ZooKeeper calls, where a test
/// can make the process die as a `kill -9` would (`REACTOR_TEST_CRASH_AT=<name>` in its
/// environment), to show that what it leaves is repaired (docs/design.md#atomic-changes).
///
/// Unset, as in every real deployment, a crash point costs one comparison.
enum CrashPoint {
    /// The point this process dies at, from `REACTOR_TEST_CRASH_AT`; nil when unset.
    static let armed: String? = ProcessInfo.processInfo.environment["REACTOR_TEST_CRASH_AT"]

    /// Dies at once, without cleanup, when `name` is the armed point.
    static func reach(_ name: String) {
        guard let armed, armed == name else { return }
        _exit(137)
    }
}
