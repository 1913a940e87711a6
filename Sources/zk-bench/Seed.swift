import Foundation
import ZooKeeper

/// Creates `count` endpoints (`bench-<i>`, no cloud, no balancer: nothing to launch) the way the
/// API does — name and data in one batch — 32 at a time.
func seedEndpoints(hosts: String, count: Int) async throws {
    let zk = try await ZooKeeperClient.connect(.init(connectString: hosts))
    for path in ["/reactor/endpoints/names", "/reactor/endpoints/data", "/reactor/managers/keys"] {
        do {
            try await zk.create(path, createParents: true)
        } catch let error as ZooKeeperError where error.code == .nodeExists {}
    }
    let data = Array(#"{"endpoint":{},"scaling":{"min_instances":1,"max_instances":1}}"#.utf8)
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<32 {
            group.addTask {
                for index in stride(from: worker, to: count, by: 32) {
                    let id = UUID().uuidString.lowercased()
                    try await zk.multi([
                        .create(path: "/reactor/endpoints/names/bench-\(index)", data: Array(id.utf8)),
                        .create(path: "/reactor/endpoints/data/\(id)", data: data),
                    ])
                }
            }
        }
        try await group.waitForAll()
    }
    await zk.close()
}
