#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads nginx's access log incrementally and sums what each backend did.
///
/// The reader remembers how far it has read (and the file's inode): a log that shrank or was replaced is
/// read again from its start, and a line nginx has not finished writing is left for the next read. Once
/// the log passes `rotateAt` bytes it is truncated after being read, so it never grows without bound (a
/// line nginx writes between that read and the truncation is lost, a negligible error in a rate).
struct NginxAccessLog {
    /// What one backend did over the lines read.
    struct Totals: Sendable, Hashable {
        /// Requests it answered (attempts that did not fail).
        var requests = 0
        /// Attempts that failed to connect or timed out (upstream status 502 or 504).
        var errors = 0
        /// Bytes from and to clients of the requests it answered.
        var bytes = 0
        /// Sum of its response times in seconds, over `timed` requests.
        var responseSeconds = 0.0
        var timed = 0
    }

    let path: String
    var rotateAt = 64 * 1024 * 1024
    private var offset = 0
    private var inode: ino_t = 0

    init(path: String) {
        self.path = path
    }

    /// Skips everything written so far (a new measuring interval starts now).
    mutating func skipToEnd() {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        inode = info.st_ino
        offset = Int(info.st_size)
    }

    /// Reads the complete lines written since the last call and sums them per backend `ip:port`.
    mutating func readTotals() -> [String: Totals] {
        var totals: [String: Totals] = [:]
        for line in readLines() {
            Self.add(line, to: &totals)
        }
        return totals
    }

    private mutating func readLines() -> [Substring] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return [] }
        if info.st_ino != inode || Int(info.st_size) < offset {
            inode = info.st_ino
            offset = 0
        }
        let size = Int(info.st_size)
        guard size > offset else { return [] }
        var bytes = [UInt8](repeating: 0, count: size - offset)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
        guard count > 0 else { return [] }
        // Only whole lines: the rest is read next time.
        guard let lastNewline = bytes[..<count].lastIndex(of: UInt8(ascii: "\n")) else { return [] }
        offset += lastNewline + 1
        let text = String(decoding: bytes[...lastNewline], as: UTF8.self)
        if offset >= rotateAt, truncate(path, 0) == 0 {
            offset = 0
        }
        return text.split(separator: "\n")
    }

    /// Adds one line of ``NginxConfiguration/logFormat``:
    /// `msec|status|bytes_sent|request_length|upstream_addr|upstream_status|upstream_response_time|request_time`.
    ///
    /// The upstream fields list every attempt: `a, b` when nginx moved on to another server and `a : b`
    /// across internal redirects. A request nginx answered itself has `-` there and counts for nobody.
    static func add(_ line: Substring, to totals: inout [String: Totals]) {
        let fields = line.split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count >= 8 else { return }
        let addresses = attempts(fields[4])
        let statuses = attempts(fields[5])
        let times = attempts(fields[6])
        let bytes = (Int(fields[2]) ?? 0) + (Int(fields[3]) ?? 0)
        for (index, address) in addresses.enumerated() where address.contains(":") {
            let status = index < statuses.count ? Int(statuses[index]) : nil
            var entry = totals[String(address), default: Totals()]
            if status == 502 || status == 504 {
                entry.errors += 1
            } else {
                entry.requests += 1
                if index == addresses.count - 1 { entry.bytes += bytes }
                if index < times.count, let seconds = Double(times[index]) {
                    entry.responseSeconds += seconds
                    entry.timed += 1
                }
            }
            totals[String(address)] = entry
        }
    }

    private static func attempts(_ field: Substring) -> [Substring] {
        field.split(whereSeparator: { $0 == "," || $0 == " " }).filter { $0 != ":" }
    }
}
