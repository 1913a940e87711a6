import DockerEngine
import Foundation
import ProcessSupport
import Synchronization
import ZooKeeperTesting

/// A private `dockerd` for one test: its own socket, data, exec root and pid file under a fresh
/// folder, no default bridge and no iptables rules (host networking is enough; a test that wants
/// a network makes one on a 10.x subnet), and a busybox image made with `docker import` from a
/// rootfs built here (no registry is reachable).
final class DockerDaemon: Sendable {
    let directory: String
    let socket: String
    let process: ManagedProcess
    let engine: DockerEngine
    /// The busybox image every test container runs.
    static let image = "reactor-test/busybox:1"

    private init(directory: String, process: ManagedProcess) {
        self.directory = directory
        self.socket = directory + "/docker.sock"
        self.process = process
        self.engine = DockerEngine(socketPath: directory + "/docker.sock")
    }

    /// Starts one and waits (at most 30 s) until it answers `_ping`, then imports the image.
    static func start(_ label: String) async throws -> DockerDaemon {
        guard let dockerd = Self.find("dockerd") else {
            throw FixtureError("dockerd is not installed (scripts/setup installs docker.io)")
        }
        // Short: a unix socket path has at most 107 bytes.
        let directory = "/tmp/rd-\(label)-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let process = try ManagedProcess(
            [
                dockerd, "-H", "unix://\(directory)/docker.sock", "--data-root", "\(directory)/data",
                "--exec-root", "\(directory)/exec", "--pidfile", "\(directory)/docker.pid", "--bridge", "none",
                "--iptables=false", "--ip6tables=false",
            ], logPath: directory + "/dockerd.log")
        let daemon = DockerDaemon(directory: directory, process: process)
        do {
            try await eventually("dockerd at \(daemon.socket) answers", timeout: .seconds(30)) {
                do {
                    try await daemon.engine.ping()
                    return true
                } catch {
                    return false
                }
            }
            try daemon.importImage()
        } catch {
            await daemon.stop()
            throw FixtureError("\(error); dockerd log: \(process.logTail(10))")
        }
        return daemon
    }

    /// `docker import` of a rootfs with busybox (its `sh`, `httpd`, `sleep` …) and `/www`.
    func importImage() throws {
        let rootfs = directory + "/rootfs"
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: rootfs + "/bin", withIntermediateDirectories: true)
        try fileManager.createDirectory(atPath: rootfs + "/www", withIntermediateDirectories: true)
        guard let busybox = Self.find("busybox") else {
            throw FixtureError("busybox is not installed (scripts/setup installs busybox-static)")
        }
        try fileManager.copyItem(atPath: busybox, toPath: rootfs + "/bin/busybox")
        for applet in ["sh", "httpd", "sleep", "env", "cat", "echo"] {
            try fileManager.createSymbolicLink(atPath: rootfs + "/bin/\(applet)", withDestinationPath: "busybox")
        }
        try "container\n".write(toFile: rootfs + "/www/index.html", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: rootfs + "/tmp", withIntermediateDirectories: true)
        guard let docker = Self.find("docker") else { throw FixtureError("the docker command is not installed") }
        let status = try Self.run(
            "/usr/bin/timeout",
            [
                "60", "/bin/sh", "-c",
                "tar -C '\(rootfs)' -c . | '\(docker)' -H 'unix://\(socket)' import - \(Self.image)",
            ])
        guard status == 0 else { throw FixtureError("docker import failed with status \(status)") }
    }

    /// The containers Reactor made on this engine (running or not).
    func reactorContainers() async throws -> [ContainerSummary] {
        try await engine.listContainers(labels: [:]).filter { $0.labels["reactor.instance"] != nil }
    }

    /// Makes a bridge network `name` on a 10.231.X.0/24 subnet no interface of this host routes
    /// yet (a network left by an engine that was killed keeps its bridge and route, and a second
    /// one on the same subnet would be unreachable from the host). ``stop()`` removes it.
    func makeNetwork(_ name: String) throws {
        let routes = FileSystem.readIfPresent("/proc/net/route") ?? ""
        // Destination in the table's byte order: 10.231.X.0 is 00XXE70A.
        let taken = Set(
            routes.split(separator: "\n").compactMap { line -> Int? in
                let fields = line.split(separator: "\t")
                guard fields.count > 1, fields[1].count == 8, fields[1].hasSuffix("E70A") else { return nil }
                return Int(fields[1].dropFirst(2).prefix(2), radix: 16)
            })
        guard let third = (1...254).filter({ !taken.contains($0) }).randomElement() else {
            throw FixtureError("no free 10.231.X.0/24 subnet on this host")
        }
        guard let docker = Self.find("docker") else { throw FixtureError("the docker command is not installed") }
        let status = try Self.run(
            "/usr/bin/timeout",
            ["30", docker, "-H", "unix://\(socket)", "network", "create", "--subnet", "10.231.\(third).0/24", name])
        guard status == 0 else { throw FixtureError("docker network create \(name) failed with status \(status)") }
        networks.withLock { $0.append(name) }
    }

    private let networks = Mutex<[String]>([])

    /// Removes every container and the networks the test made, then ends the daemon and removes
    /// its folder.
    func stop() async {
        if let all = try? await engine.listContainers(labels: [:]) {
            for container in all { try? await engine.removeContainer(container.id) }
        }
        if let docker = Self.find("docker") {
            for name in networks.withLock({ $0 }) {
                // Gone with the daemon's state otherwise, but its bridge would stay behind.
                _ = try? Self.run("/usr/bin/timeout", ["30", docker, "-H", "unix://\(socket)", "network", "rm", name])
            }
        }
        // SIGTERM lets dockerd unmount and end its containerd; SIGKILL after 15 s.
        process.signal(SIGTERM)
        let deadline = ContinuousClock.now + .seconds(15)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(100)) }
        await process.kill()
        // The data root holds overlay mounts only while the daemon runs; left behind if busy.
        _ = try? Self.run(
            "/bin/sh", ["-c", "umount -l '\(directory)'/exec/netns/* 2>/dev/null; rm -rf '\(directory)'"])
    }

    static func find(_ program: String) -> String? {
        for folder in ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin"]
        where FileManager.default.isExecutableFile(atPath: "\(folder)/\(program)") {
            return "\(folder)/\(program)"
        }
        return nil
    }

    @discardableResult
    static func run(_ program: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
