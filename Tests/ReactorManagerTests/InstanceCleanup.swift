import Foundation

/// Ends every instance process the process cloud started for the given manager names (from the
/// pid files it keeps per host), so a test leaves nothing running whatever happened in it.
func killInstanceProcesses(hosts: [String]) {
    let base = NSTemporaryDirectory() + "reactor-instances"
    for host in hosts {
        let directory = "\(base)/\(host)"
        for file in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where file.hasSuffix(".pid") {
            guard let text = try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8),
                let pid = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).last.flatMap({ Int32(String($0)) })
            else { continue }
            kill(-pid, SIGKILL)
            try? FileManager.default.removeItem(atPath: "\(directory)/\(file)")
        }
    }
}
