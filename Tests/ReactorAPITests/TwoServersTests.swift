import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ReactorCore
import Testing
import ZooKeeperTesting

#if canImport(Glibc)
import Glibc
#endif

/// Two `reactor api` processes on one ZooKeeper behave as one API.
@Suite struct TwoServersTests {
    @Test func aWriteThroughOneIsReadThroughTheOther() async throws {
        let namespace = try await SharedZooKeeper.instance.namespace("twoServers")
        let binary = try reactorExecutable()
        let ports = try LoopbackPorts.free(2)
        let logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("reactor-api-\(UUID())").path
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        let servers = try ports.enumerated().map { index, port in
            try ManagedProcess(
                [
                    binary, "api", "--zookeeper", namespace, "--host", "127.0.0.1", "--port", "\(port)", "--log-level",
                    "info",
                ],
                logPath: "\(logDirectory)/api\(index).log")
        }
        defer { for server in servers { Task { await server.kill() } } }
        for (server, port) in zip(servers, ports) {
            try await waitUntilServing(port: port, server)
        }

        let created = try await send(
            .post, "/v1.1/endpoints/shared", port: ports[0], body: #"{"scaling": {"max_instances": 4}}"#)
        #expect(created.status == .ok)
        #expect(try await send(.get, "/v1.1/endpoints", port: ports[1]).json == ["shared"])
        let config = try await send(.get, "/v1.1/endpoints/shared", port: ports[1]).json
        #expect(config?.objectValue?["scaling"]?.objectValue?["max_instances"] == 4)

        #expect(
            try await send(.post, "/v1.1/endpoints/shared/state", port: ports[1], body: #"{"action":"start"}"#).status
                == .ok)
        #expect(
            try await send(.get, "/v1.1/endpoints/shared/state", port: ports[0]).json?.objectValue?["state"]
                == "RUNNING")

        #expect(try await send(.post, "/v1.1/auth_key", port: ports[0], body: #"{"auth_key":"k"}"#).status == .ok)
        #expect(
            try await send(.get, "/v1.1/endpoints", port: ports[1]).status == .unauthorized,
            "the key applies everywhere")

        // Graceful shutdown on SIGTERM: the process exits by itself, with status 0.
        for server in servers {
            server.signal(SIGTERM)
            let status = await server.waitForExit()
            #expect(status == 0, "reactor api should exit cleanly on SIGTERM; log:\n\(server.logTail())")
        }
    }

    private func send(
        _ method: HTTPRequest.Method, _ path: String, port: Int, body: String? = nil
    ) async throws -> Reply {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            let response = try await client.execute(
                .init(path, method: method, authority: "127.0.0.1", body: body.map { ByteBuffer(string: $0) }))
            let text = response.body.map { String(buffer: $0) } ?? ""
            return Reply(status: response.head.status, headers: response.head.headerFields, text: text)
        }
    }

    private func waitUntilServing(port: Int, _ server: ManagedProcess) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if !server.isRunning {
                Issue.record("reactor api exited early:\n\(server.logTail())")
                throw LocalServiceError("reactor api exited early")
            }
            if let reply = try? await send(.get, "/", port: port), reply.status == .ok { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("reactor api did not answer on port \(port):\n\(server.logTail())")
        throw LocalServiceError("reactor api did not start")
    }
}
