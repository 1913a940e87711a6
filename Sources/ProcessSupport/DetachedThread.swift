import CLinux

#if canImport(Glibc)
import Glibc
#endif

/// A thread of its own, outside Swift's cooperative pool, for work that blocks (closing a
/// ZooKeeper handle) or loops for good (the tcp balancer's forwarding loops).
public enum DetachedThread {
    private final class Work {
        let name: String?
        let body: () -> Void
        init(name: String?, body: @escaping () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// Runs `body` on a new detached thread, named `name` (at most 15 bytes are kept) when given.
    ///
    /// - Returns: `false` when no thread could be created; `body` has not run then.
    @discardableResult
    public static func start(name: String? = nil, _ body: @escaping @Sendable () -> Void) -> Bool {
        let context = Unmanaged.passRetained(Work(name: name, body: body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { raw in
                guard let raw else { return nil }
                let work = Unmanaged<Work>.fromOpaque(raw).takeRetainedValue()
                if let name = work.name { _ = reactor_name_thread(String(name.utf8.prefix(15)) ?? name) }
                work.body()
                return nil
            }, context)
        guard result == 0 else {
            Unmanaged<Work>.fromOpaque(context).release()
            return false
        }
        pthread_detach(thread)
        return true
    }
}
