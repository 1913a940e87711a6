import Foundation

/// Ends every instance process the process cloud started for the given manager names (from the
/// pid files it keeps per host), so a test leaves nothing running whatever happened in it. A pid
/// is only signalled while its start time still matches the file (pids get reused).
func killInstanceProcesses(hosts: [String], base: String = NSTemporaryDirectory() + "reactor-instances") {
    let folders = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
    for folder in folders where hosts.contains(where: { folder.hasPrefix("\($0)-") }) {
        let directory = "\(base)/\(folder)"
        for file in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where file.hasSuffix(".pid")
        {
            defer { try? FileManager.default.removeItem(atPath: "\(directory)/\(file)") }
            guard let text = try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8) else { continue }
            let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
            guard parts.count == 3, let pid = Int32(String(parts[1])), let started = UInt64(String(parts[2])),
                processStartTime(pid) == started
            else { continue }
            kill(-pid, SIGKILL)
        }
    }
}

private func processStartTime(_ pid: Int32) -> UInt64? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    return fields.count > 19 ? UInt64(fields[19]) : nil
}
