#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs blocking C calls (`zookeeper_close`, waiting for a second connection) on a thread of
/// their own.
///
/// Not on `DispatchQueue.global()`: on Linux, Swift's cooperative executor runs on the same
/// global dispatch queues, whose width is the number of cores, so a few blocked closes would
/// stall every task in the process.
enum BlockingThread {
    private final class Work {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` on a new detached thread and returns at once.
    static func run(_ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Work(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { raw in
                guard let raw else { return nil }
                let work = Unmanaged<Work>.fromOpaque(raw).takeRetainedValue()
                work.body()
                return nil
            }, context)
        if result == 0 {
            pthread_detach(thread)
        } else {
            // No thread to be had: run it here rather than not at all.
            Unmanaged<Work>.fromOpaque(context).takeRetainedValue().body()
        }
    }

    /// Runs `body` on its own thread and waits for its result without blocking the caller's thread.
    static func value<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withUnsafeContinuation { continuation in
            run { continuation.resume(returning: body()) }
        }
    }
}
