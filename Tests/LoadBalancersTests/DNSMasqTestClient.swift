import LoadBalancers
import Testing
import ZooKeeperTesting

#if canImport(Glibc)
import Glibc
#endif

/// A failure of the DNS test helpers, saying what went wrong.
struct DNSMasqTestFailure: Error, CustomStringConvertible {
    var description: String
}

/// The pids of running dnsmasq processes whose command line mentions `directory`.
func dnsmasqProcesses(in directory: String) -> [pid_t] {
    guard let proc = opendir("/proc") else { return [] }
    defer { closedir(proc) }
    var found: [pid_t] = []
    while let entry = readdir(proc) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        guard let pid = pid_t(name) else { continue }
        let fd = open("/proc/\(pid)/cmdline", O_RDONLY)
        guard fd >= 0 else { continue }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard count > 0 else { continue }
        let commandLine = String(decoding: buffer[..<count].map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
        if commandLine.contains("dnsmasq"), commandLine.contains(directory) { found.append(pid) }
    }
    return found
}

/// A dnsmasq balancer on 127.0.0.1 and a free port, in a scratch directory of its own. When `body` ends,
/// however it ends, the balancer is shut down, any dnsmasq left in the directory is killed and the
/// directory removed.
func withDNSMasq(
    _ body: (DNSMasqBalancer, _ port: Int, _ directory: String) async throws -> Void
) async throws {
    var template = Array("/tmp/reactor-dnsmasq-XXXXXX".utf8CString)
    let directory = try template.withUnsafeMutableBufferPointer { buffer -> String in
        guard let base = buffer.baseAddress, let path = mkdtemp(base) else {
            throw DNSMasqTestFailure(description: "mkdtemp failed: \(errno)")
        }
        return String(cString: path)
    }
    let port = try LoopbackPorts.freeForUDPAndTCP()
    let balancer = DNSMasqBalancer(directory: directory + "/dnsmasq", port: port, stopTimeout: .seconds(2))
    var failure: (any Error)?
    do {
        try await body(balancer, port, directory + "/dnsmasq")
    } catch {
        failure = error
    }
    await balancer.shutdown()
    for pid in dnsmasqProcesses(in: directory) { kill(pid, SIGKILL) }
    for file in ["hosts", "hosts.tmp", "dnsmasq.pid", "dnsmasq.log", "dnsmasq.out"] {
        unlink("\(directory)/dnsmasq/\(file)")
    }
    rmdir(directory + "/dnsmasq")
    rmdir(directory)
    if let failure { throw failure }
}
