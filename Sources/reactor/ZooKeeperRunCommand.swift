import ArgumentParser
import Foundation
import LocalServices
import ReactorCore

#if canImport(Glibc)
import Glibc
#endif

/// `reactor zookeeper run`: a private standalone ZooKeeper (Debian's package) in the foreground,
/// its `zoo.cfg` written by the same code as `reactor up`'s and the tests' servers.
struct ZooKeeperCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zookeeper",
        abstract: "Run a private ZooKeeper server (for scripts, benchmarks and trials).",
        subcommands: [Run.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write zoo.cfg into DIR and run a standalone server in the foreground.",
            discussion: """
                The server's data and zoo.cfg live under --dir; it serves clients on --listen:--port \
                until it is sent SIGTERM or SIGINT. The admin HTTP server is off, four-letter words \
                (ruok, srvr) are on. For a production ensemble use the deploy kit instead.
                """
        )

        @Option(help: "The directory for zoo.cfg and the data (created if needed).") var dir: String
        @Option(help: "The client port.") var port: Int = 2181
        @Option(help: "The address clients connect to.") var listen: String = "127.0.0.1"
        @Option(help: "ZooKeeper's tick in milliseconds (sessions last at least two ticks).") var tickTime: Int = 2000
        @Option(help: "The JVM's largest heap (java -Xmx).") var heap: String = "512m"
        @Flag(help: "Do not sync the transaction log on each write (throw-away servers, benchmarks).")
        var noFsync = false

        func validate() throws {
            guard (1...65535).contains(port) else { throw ValidationError("--port must be 1–65535, not \(port)") }
            guard tickTime > 0 else { throw ValidationError("--tick-time must be positive") }
            guard IPAddress.isValid(listen) else {
                throw ValidationError("--listen must be an IP address, not '\(listen)'")
            }
            guard heap.range(of: #"^[0-9]+[kmgKMG]?$"#, options: .regularExpression) != nil else {
                throw ValidationError("--heap must be a size such as 512m, not '\(heap)'")
            }
        }

        func run() async throws {
            let directory = URL(fileURLWithPath: dir).standardizedFileURL.path
            var file = ZooKeeperConfigFile(dataDirectory: directory + "/data", clientPort: port)
            file.clientAddress = listen
            file.tickTime = tickTime
            file.forceSync = !noFsync
            let configPath = directory + "/zoo.cfg"
            try file.write(to: configPath)
            let command = ZooKeeperConfigFile.serverCommand(
                configPath: configPath, jvmFlags: ["-Xmx\(heap)", "-XX:+UseSerialGC"])
            // exec: the server takes this process's place, so signals and the exit code are its own.
            var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) }
            argv.append(nil)
            execvp(command[0], argv)
            throw ValidationError("cannot run \(command[0]): \(String(cString: strerror(errno))) (is Java installed?)")
        }
    }
}
