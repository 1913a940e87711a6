import Foundation

/// The `zoo.cfg` of a private ZooKeeper server: the one place that writes it, for
/// ``ZooKeeperServer`` (tests, `reactor up`) and `reactor zookeeper run` (scripts, benchmarks).
///
/// Every server written here has the admin HTTP server off (it would take port 8080, the API's)
/// and four-letter words on (health checks ask `ruok` and `srvr`).
public struct ZooKeeperConfigFile: Sendable {
    /// The data directory (snapshots, transaction log, `myid`).
    public var dataDirectory: String
    /// The client port.
    public var clientPort: Int
    /// The address clients connect to. Default 127.0.0.1.
    public var clientAddress: String = "127.0.0.1"
    /// The tick in milliseconds; the smallest session timeout is two ticks. Default 2,000.
    public var tickTime: Int = 2000
    /// The largest session timeout granted, in milliseconds; nil for ZooKeeper's (20 ticks).
    public var maxSessionTimeout: Int?
    /// Whether the transaction log is synced to disk on each write. Off only for throw-away
    /// servers (benchmarks). Default on.
    public var forceSync: Bool = true
    /// The members of an ensemble (peer and election ports on 127.0.0.1), in `myid` order;
    /// empty for a standalone server.
    public var peers: [(peer: Int, election: Int)] = []

    public init(dataDirectory: String, clientPort: Int) {
        self.dataDirectory = dataDirectory
        self.clientPort = clientPort
    }

    /// The file's text.
    public var text: String {
        var lines = [
            "tickTime=\(tickTime)",
            "initLimit=50",
            "syncLimit=25",
            "dataDir=\(dataDirectory)",
            "clientPort=\(clientPort)",
            "clientPortAddress=\(clientAddress)",
            "admin.enableServer=false",
            "4lw.commands.whitelist=*",
            "maxClientCnxns=0",
        ]
        if let maxSessionTimeout { lines.append("maxSessionTimeout=\(maxSessionTimeout)") }
        if !forceSync { lines.append("forceSync=no") }
        if !peers.isEmpty {
            lines.append("standaloneEnabled=false")
            for (index, peer) in peers.enumerated() {
                lines.append("server.\(index + 1)=127.0.0.1:\(peer.peer):\(peer.election)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the file to `path`, creating the data directory, and `myid` for member `myID` of
    /// an ensemble.
    public func write(to path: String, myID: Int = 1) throws {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        if !peers.isEmpty {
            try "\(myID)\n".write(toFile: dataDirectory + "/myid", atomically: true, encoding: .utf8)
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Where Debian installs the server.
    public static let classPath = ["/usr/share/java/zookeeper.jar", "/usr/share/java/slf4j-simple.jar"].joined(
        separator: ":")

    /// The command that runs a server from the file at `configPath`.
    /// - Parameter jvmFlags: heap and GC flags (the default favours start-up time and a small heap).
    public static func serverCommand(configPath: String, jvmFlags: [String] = defaultJVMFlags) -> [String] {
        ["java"] + jvmFlags + [
            "-Dzookeeper.admin.enableServer=false",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
            "-cp", classPath, "org.apache.zookeeper.server.quorum.QuorumPeerMain", configPath,
        ]
    }

    /// Start-up time and a small heap over throughput.
    public static let defaultJVMFlags = ["-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"]
}
