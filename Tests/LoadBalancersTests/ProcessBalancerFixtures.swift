import ProcessSupport
import Testing

@testable import LoadBalancers

#if canImport(Glibc)
import Glibc
#endif

/// A scratch directory under /tmp (mode 0755, so nginx workers running as `nobody` may enter it),
/// removed when `body` ends however it ends.
func withScratchDirectory<T>(_ prefix: String, _ body: (String) async throws -> T) async throws -> T {
    var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
    let directory = try template.withUnsafeMutableBufferPointer { buffer -> String in
        guard let base = buffer.baseAddress, let path = mkdtemp(base) else {
            throw HTTPTestFailure(description: "mkdtemp failed: \(errno)")
        }
        return String(cString: path)
    }
    chmod(directory, 0o755)
    let outcome: Result<T, any Error>
    do {
        outcome = .success(try await body(directory))
    } catch {
        outcome = .failure(error)
    }
    _ = try? await ChildProcess.run(["/bin/rm", "-rf", directory], outputPath: "/dev/null")
    return try outcome.get()
}

/// A fresh balancer made by `make` in a scratch directory, shut down (and its master gone) when `body`
/// ends, whether it returns or throws.
func withBalancer<Balancer: LoadBalancerDriver>(
    _ prefix: String, _ make: (String) -> Balancer, _ body: (Balancer, String) async throws -> Void
) async throws {
    try await withScratchDirectory(prefix) { directory in
        let balancer = make(directory)
        do {
            try await body(balancer, directory)
        } catch {
            await balancer.shutdown()
            throw error
        }
        await balancer.shutdown()
    }
}

/// A fresh nginx balancer in a scratch directory, shut down when `body` ends.
func withNginx(_ body: (NginxBalancer, String) async throws -> Void) async throws {
    try await withBalancer("reactor-nginx", { NginxBalancer(directory: $0 + "/nginx", quitTimeout: .seconds(5)) }, body)
}

/// A fresh haproxy balancer in a scratch directory, shut down when `body` ends.
func withHAProxy(_ body: (HAProxyBalancer, String) async throws -> Void) async throws {
    try await withBalancer("reactor-haproxy", { HAProxyBalancer(directory: $0 + "/haproxy") }, body)
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

/// A balancer run by a master process of its own, whose pid stays the same across reloads.
protocol MasterProcessBalancer: LoadBalancerDriver {
    var masterPID: Int32? { get async }
}

extension NginxBalancer: MasterProcessBalancer {}
extension HAProxyBalancer: MasterProcessBalancer {}

/// The checks nginx and haproxy both pass, each against services at `url(port)`; `unit` names what one
/// HTTP request is to the balancer in messages ("request", "connection").
struct ProcessBalancerChecks<Balancer: MasterProcessBalancer> {
    let balancer: Balancer
    let url: (Int) -> String
    let unit: String

    /// Backends A and B at weights 2:1 get about 200 and 100 of 300 sequential requests.
    func splitByWeight() async throws {
        let a = try await HTTPTestBackend.start("A")
        let b = try await HTTPTestBackend.start("B")
        let port = try freePort()
        try await balancer.configure([
            BalancedService(
                url: url(port),
                backends: [Backend(ip: a.ip, port: a.port, weight: 2), Backend(ip: b.ip, port: b.port, weight: 1)])
        ])
        let seen = await backendCounts(port: port, count: 300)
        #expect(seen.keys.sorted() == ["A", "B"], "every \(unit) should reach A or B: \(seen)")
        #expect(
            abs((seen["A"] ?? 0) - 200) <= 30, "weights 2:1 over 300 \(unit)s should give about 200:100, got \(seen)")
        await a.stop()
        await b.stop()
    }

    /// An added backend gets traffic within a second, a removed one none a second after, and no request
    /// fails across the reloads, not even one in flight during both.
    func backendChangesApplyWithinASecondWithoutFailures() async throws {
        let a = try await HTTPTestBackend.start("A")
        let b = try await HTTPTestBackend.start("B")
        let c = try await HTTPTestBackend.start("C")
        let port = try freePort()
        let url = url(port)
        func service(_ backends: [HTTPTestBackend]) -> BalancedService {
            BalancedService(url: url, backends: backends.map { Backend(ip: $0.ip, port: $0.port) })
        }
        try await balancer.configure([service([a, b])])
        let master = await balancer.masterPID
        let hammer = Hammer(port: port, clients: 3)
        // Slow requests in flight across both reloads must complete too.
        let slow = Task { try await httpGet(port: port, path: "/delay/700") }
        try await Task.sleep(for: .milliseconds(300))

        let addedAt = ContinuousClock.now
        try await balancer.configure([service([a, b, c])])
        try await Task.sleep(for: .seconds(1))
        let removedAt = ContinuousClock.now
        try await balancer.configure([service([b, c])])
        try await Task.sleep(for: .seconds(1))
        let results = await hammer.stop()
        let slowResponse = try await slow.value

        #expect(results.count > 100, "the hammer should have sent many requests, sent \(results.count)")
        let failures = results.filter { $0.error != nil }
        let failureMessages = failures.prefix(3).compactMap(\.error)
        #expect(
            failures.isEmpty,
            "no \(unit) may fail across reloads; \(failures.count) of \(results.count) did: \(failureMessages)")
        let firstC = results.first { $0.backend == "C" && $0.at > addedAt }
        #expect(firstC.map { $0.at - addedAt < .seconds(1) } == true, "an added backend should get traffic within 1 s")
        let lateA = results.filter { $0.backend == "A" && $0.at > removedAt + .seconds(1) }
        #expect(lateA.isEmpty, "a removed backend should get no traffic 1 s after the change, got \(lateA.count)")
        #expect(results.contains { $0.backend == "A" && $0.at < removedAt }, "A served before it was removed")
        #expect(slowResponse.status == 200, "a \(unit) open during a reload should complete")
        #expect(await balancer.masterPID == master, "a reload keeps the same master")
        for backend in [a, b, c] { await backend.stop() }
    }

    /// With `sticky_sessions`, each of 24 clients stays on one backend, and they spread over several
    /// (24 rather than a handful: with a hash over random backend ports, a few clients can all land
    /// on one backend by chance).
    func stickySessionsKeepEachClientOnOneBackend() async throws {
        let backends = [
            try await HTTPTestBackend.start("A"), try await HTTPTestBackend.start("B"),
            try await HTTPTestBackend.start("C"),
        ]
        let port = try freePort()
        try await balancer.configure([
            BalancedService(
                url: url(port), backends: backends.map { Backend(ip: $0.ip, port: $0.port) },
                settings: ["sticky_sessions": "true"])
        ])
        var used: Set<String> = []
        for client in 2...25 {
            var seen: Set<String> = []
            for _ in 0..<10 {
                seen.insert(try await httpGet(port: port, from: "127.0.0.\(client)").body)
            }
            #expect(seen.count == 1, "client 127.0.0.\(client) should stick to one backend, saw \(seen)")
            used.formUnion(seen)
        }
        #expect(used.count >= 2, "24 clients should spread over the backends, all went to \(used)")
        for backend in backends { await backend.stop() }
    }
}
