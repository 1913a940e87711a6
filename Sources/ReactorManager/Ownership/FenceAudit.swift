import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A record of every fenced action a manager took: one JSON line per batch that passed its
/// fence, with the endpoint, the claim's epoch, the manager and the time, appended to a file of
/// the operator's choosing (`reactor manager --fence-audit FILE`).
///
/// Fencing makes two managers acting for one endpoint impossible; this record is how a test (the
/// chaos suite) or an operator shows it held: in every endpoint's records, a manager never acts
/// with an epoch older than one another manager already acted with.
public final class FenceAudit: Sendable {
    private let descriptor: Int32
    /// Serializes the lines of concurrent endpoint work (each `write` of a line is one call on an
    /// `O_APPEND` descriptor, so lines of several managers sharing a file do not interleave).
    private let lock = Mutex(())

    /// Opens `path` for appending (created 0600 when missing; a symbolic link is refused).
    /// - Throws: `FenceAudit.OpenError` naming the path and the reason.
    public init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw OpenError(path: path, reason: String(cString: strerror(errno))) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    public struct OpenError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot open the fence audit file \(path): \(reason)" }
    }

    /// Appends the record of one fenced batch that was applied.
    func record(endpoint: String, epoch: Int32, manager: String, operations: Int) {
        let time = Date().timeIntervalSince1970
        let line =
            #"{"time":\#(String(format: "%.6f", time)),"endpoint":"\#(endpoint)","epoch":\#(epoch),"#
            + #""manager":"\#(manager)","operations":\#(operations)}"# + "\n"
        let bytes = Array(line.utf8)
        lock.withLock { _ in
            // A record that cannot be written is lost, not fatal: the audit is evidence, not state.
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        }
    }
}
