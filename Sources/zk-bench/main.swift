// Throughput of the Swift ZooKeeper client, for bench/zk-client.
//
//   zk-bench HOSTS get|set OPS CONCURRENCY
//   zk-bench seed HOSTS COUNT      (creates COUNT endpoints in Reactor's layout, for bench/manager)
//
// Keeps CONCURRENCY calls in flight (one task each) until OPS calls have completed on the node
// /zk-bench (100 bytes), and prints `ops_per_sec <number>`.
import Logging
import ZooKeeper

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
if arguments.count == 4, arguments[1] == "seed", let count = Int(arguments[3]) {
    try await seedEndpoints(hosts: arguments[2], count: count)
    exit(0)
}
guard arguments.count == 5, let total = Int(arguments[3]), let concurrency = Int(arguments[4]),
    ["get", "set"].contains(arguments[2]), total > 0, concurrency > 0
else {
    print("usage: zk-bench HOSTS get|set OPS CONCURRENCY")
    exit(2)
}
let operation = arguments[2]
let path = "/zk-bench"
let payload = [UInt8](repeating: 120, count: 100)

var logger = Logger(label: "zk-bench")
logger.logLevel = .warning
let zk = try await ZooKeeperClient.connect(.init(connectString: arguments[1], logger: logger))
do {
    try await zk.create(path, data: payload)
} catch let error as ZooKeeperError where error.code == .nodeExists {}

let perTask = total / concurrency
let start = ContinuousClock.now
try await withThrowingTaskGroup(of: Void.self) { group in
    for _ in 0..<concurrency {
        group.addTask {
            for _ in 0..<perTask {
                if operation == "get" {
                    _ = try await zk.get(path)
                } else {
                    try await zk.set(path, data: payload)
                }
            }
        }
    }
    try await group.waitForAll()
}
let elapsed = ContinuousClock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print("ops_per_sec \(Double(perTask * concurrency) / seconds)")
await zk.close()
