@testable import LoadBalancers
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A scratch directory under /tmp (mode 0755, so nginx workers running as `nobody` may enter it),
/// removed when `body` ends however it ends.
func withScratchDirectory<T>(_ prefix: String, _ body: (String) async throws -> T) async throws -> T {
    var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
    let directory = try template.withUnsafeMutableBufferPointer { buffer -> String in
        guard let base = buffer.baseAddress, let path = mkdtemp(base) else { throw HTTPTestFailure(description: "mkdtemp failed: \(errno)") }
        return String(cString: path)
    }
    chmod(directory, 0o755)
    do {
        let result = try await body(directory)
        _ = try? await ChildProcess.run(["/bin/rm", "-rf", directory], outputPath: "/dev/null")
        return result
    } catch {
        _ = try? await ChildProcess.run(["/bin/rm", "-rf", directory], outputPath: "/dev/null")
        throw error
    }
}

/// A fresh nginx balancer in a scratch directory, shut down (and its master gone) when `body` ends,
/// whether it returns or throws.
func withNginx(_ body: (NginxBalancer, String) async throws -> Void) async throws {
    try await withScratchDirectory("reactor-nginx") { directory in
        let balancer = NginxBalancer(directory: directory + "/nginx", quitTimeout: .seconds(5))
        do {
            try await body(balancer, directory)
        } catch {
            await balancer.shutdown()
            throw error
        }
        await balancer.shutdown()
    }
}

/// A port nothing listens on right now on 127.0.0.1 (the kernel's choice of an ephemeral port).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw HTTPTestFailure(description: "socket() failed: \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw HTTPTestFailure(description: "bind() failed: \(errno)") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Which backend answered each of `count` sequential requests, by name; failures count as `"<error>"`.
func backendCounts(port: Int, count: Int, path: String = "/") async -> [String: Int] {
    var seen: [String: Int] = [:]
    for _ in 0..<count {
        let name = (try? await httpGet(port: port, path: path)).map { $0.status == 200 ? $0.body : "<\($0.status)>" }
        seen[name ?? "<error>", default: 0] += 1
    }
    return seen
}

/// Requests sent in a loop until stopped, each result stamped with when it completed.
final class Hammer: Sendable {
    struct Result: Sendable {
        var at: ContinuousClock.Instant
        var backend: String?
        var error: String?
    }

    private let task: Task<[Result], Never>

    /// Starts `clients` concurrent request loops against `port`.
    init(port: Int, clients: Int = 2, path: String = "/") {
        task = Task {
            await withTaskGroup(of: [Result].self) { group in
                for _ in 0..<clients {
                    group.addTask {
                        var results: [Result] = []
                        while !Task.isCancelled {
                            do {
                                let response = try await httpGet(port: port, path: path)
                                if response.status == 200 {
                                    results.append(Result(at: .now, backend: response.body))
                                } else {
                                    results.append(Result(at: .now, error: "status \(response.status)"))
                                }
                            } catch {
                                results.append(Result(at: .now, error: "\(error)"))
                            }
                        }
                        return results
                    }
                }
                var all: [Result] = []
                for await results in group { all += results }
                return all.sorted { $0.at < $1.at }
            }
        }
    }

    /// Stops the loops and returns every result in completion order.
    func stop() async -> [Result] {
        task.cancel()
        return await task.value
    }
}

/// A fresh haproxy balancer in a scratch directory, shut down (and its master gone) when `body` ends,
/// whether it returns or throws.
func withHAProxy(_ body: (HAProxyBalancer, String) async throws -> Void) async throws {
    try await withScratchDirectory("reactor-haproxy") { directory in
        let balancer = HAProxyBalancer(directory: directory + "/haproxy")
        do {
            try await body(balancer, directory)
        } catch {
            await balancer.shutdown()
            throw error
        }
        await balancer.shutdown()
    }
}
