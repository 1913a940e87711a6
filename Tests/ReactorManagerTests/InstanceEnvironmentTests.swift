import Foundation
import Testing
import ZooKeeperTesting

/// Instances get the environment their cloud builds, never the manager's own (issue 11, point 4):
/// a real manager with secrets in its environment starts a real instance that writes out its
/// environment.
@Suite("Instance environment", .serialized)
struct InstanceEnvironmentTests {
    @Test func anInstanceSeesItsCloudsVariablesAndNoneOfTheManagers() async throws {
        let secrets = [
            "REACTOR_AUTH_KEY": "admin-key-of-the-manager", "MANAGER_ONLY_SECRET": "do-not-leak-me",
            "REACTOR_ZOOKEEPER_AUTH": "reactor:zk-password-of-the-manager",
        ]
        let reactor = try await APIAndManager.start("instance-env", manager: "env-host", environment: secrets)
        let dump = reactor.logs + "/instance-env.txt"
        defer { reactor.killInstances() }
        do {
            try await eventually("the API answers", timeout: .seconds(60)) {
                (try? await reactor.http.get("/").status) == 200
            }
            let config: [String: Any] = [
                "endpoint": ["cloud": "process", "port": "9999"],
                "scaling": ["min_instances": "1", "max_instances": "1"],
                "cloud:process": [
                    "command": "env > \(dump).tmp && mv \(dump).tmp \(dump); exec sleep 120",
                    "environment": "GREETING=hello world, PATH=/usr/bin:/bin",
                ],
            ]
            let created = try await reactor.http.post("/v1.1/endpoints/envtest", config)
            #expect(created.status == 200, "the endpoint is accepted: \(created.text)")
            #expect(try await reactor.http.post("/v1.1/endpoints/envtest/state", ["action": "start"]).status == 200)
            try await eventually("the instance wrote its environment", timeout: .seconds(40)) {
                FileManager.default.fileExists(atPath: dump)
            }
            let text = try String(contentsOfFile: dump, encoding: .utf8)
            let variables = Dictionary(
                text.split(separator: "\n").compactMap { line -> (String, String)? in
                    guard let equals = line.firstIndex(of: "=") else { return nil }
                    return (String(line[..<equals]), String(line[line.index(after: equals)...]))
                }, uniquingKeysWith: { first, _ in first })
            for (name, value) in secrets {
                #expect(variables[name] == nil, "\(name) of the manager must not reach the instance")
                #expect(!text.contains(value), "the value of \(name) must not reach the instance")
            }
            #expect(variables["TMPDIR"] == nil, "nothing else of the manager's environment either")
            #expect(variables["GREETING"] == "hello world", "the endpoint's environment is given: \(text)")
            #expect(variables["PATH"] == "/usr/bin:/bin", "the endpoint may set PATH")
            #expect(variables["REACTOR_PORT"] == "9999")
            #expect(variables["REACTOR_INSTANCE_IP"]?.hasPrefix("127.0.1.") == true)
            #expect(variables["REACTOR_API"]?.hasPrefix("http://127.0.0.1:") == true)
            #expect(variables["REACTOR_ENDPOINT"] == "envtest")
            _ = try? await reactor.http.post("/v1.1/endpoints/envtest/state", ["action": "stop"])
        } catch {
            Issue.record("manager log:\n\(reactor.manager.logTail(40))")
            await reactor.manager.kill()
            await reactor.api.kill()
            throw error
        }
        await reactor.manager.kill()
        await reactor.api.kill()
    }

    @Test func anUnusableEnvironmentIsRefusedPerField() async throws {
        let reactor = try await APIAndManager.start("instance-env-bad", manager: "env-bad")
        do {
            try await eventually("the API answers", timeout: .seconds(60)) {
                (try? await reactor.http.get("/").status) == 200
            }
            for (environment, wanted) in [
                ("NOPE", "expected NAME=value"), ("1X=a", "variable name"), ("REACTOR_API=x", "set by the cloud"),
                ("A=1, A=2", "given twice"),
            ] {
                let reply = try await reactor.http.post(
                    "/v1.1/endpoints/bad",
                    [
                        "endpoint": ["cloud": "process"],
                        "cloud:process": ["command": "true", "environment": environment],
                    ])
                #expect(reply.status == 400, "'\(environment)' is refused")
                let fields = (reply.json as? [String: Any])?["cloud:process"] as? [String: String]
                #expect(fields?["environment"]?.contains(wanted) == true, "'\(environment)': \(reply.text)")
            }
        } catch {
            await reactor.manager.kill()
            await reactor.api.kill()
            throw error
        }
        await reactor.manager.kill()
        await reactor.api.kill()
    }
}
