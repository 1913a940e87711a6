import ProcessSupport

/// Runs blocking C calls (`zookeeper_close`, waiting for a second connection) on a thread of
/// their own.
///
/// Not on `DispatchQueue.global()`: on Linux, Swift's cooperative executor runs on the same
/// global dispatch queues, whose width is the number of cores, so a few blocked closes would
/// stall every task in the process.
enum BlockingThread {
    /// Runs `body` on a new detached thread and returns at once.
    static func run(_ body: @escaping @Sendable () -> Void) {
        // No thread to be had: run it here rather than not at all.
        if !DetachedThread.start(body) { body() }
    }

    /// Runs `body` on its own thread and waits for its result without blocking the caller's thread.
    static func value<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withUnsafeContinuation { continuation in
            run { continuation.resume(returning: body()) }
        }
    }
}
