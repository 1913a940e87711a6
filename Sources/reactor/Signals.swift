import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Waiting for SIGTERM/SIGINT without blocking a thread.
enum Signals {
    static func waitForTermination() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queue = DispatchQueue(label: "reactor.signals")
            var sources: [any DispatchSourceSignal] = []
            let resumed = ResumeOnce(continuation)
            for signalNumber in [SIGTERM, SIGINT] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
                source.setEventHandler { resumed.resume() }
                source.resume()
                sources.append(source)
            }
            SignalSources.keep(sources)
        }
    }
}

/// Keeps signal sources alive for the life of the process.
private enum SignalSources {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    static func keep(_ new: [any DispatchSourceSignal]) {
        // Called once per process from the command's own task; never concurrently.
        sources.append(contentsOf: new)
    }
}

private final class ResumeOnce: @unchecked Sendable {
    // @unchecked: only touched from the serial signal queue.
    private var continuation: CheckedContinuation<Void, Never>?
    init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = continuation }
    func resume() {
        continuation?.resume()
        continuation = nil
    }
}
