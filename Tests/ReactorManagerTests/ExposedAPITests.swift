import Foundation
import Testing
import ZooKeeperTesting

#if canImport(Glibc)
import Glibc
#endif

/// `reactor up --expose-api`: the API through the host's own nginx, over HTTP and HTTPS (a
/// self-signed certificate made on the host), plain HTTP on the HTTPS port sent on to https, and
/// instances registering through the exposed HTTP port (their own address reaches the API as
/// nginx forwards it).
@Suite("The API through the host's nginx", .serialized)
struct ExposedAPITests {
    @Test func theAPIIsServedOnItsHTTPAndHTTPSPorts() async throws {
        let apiPort = try LoopbackPorts.free()
        let httpPort = try LoopbackPorts.free()
        let httpsPort = try LoopbackPorts.free()
        let logs = NSTemporaryDirectory() + "reactor-exposed-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let up = try ManagedProcess(
            [
                try reactorExecutable(), "up", "--expose-api", "--exposed-http-port", "\(httpPort)",
                "--exposed-https-port", "\(httpsPort)", "--port", "\(apiPort)", "--interval", "0.3",
                "--log-level", "info",
            ],
            environment: ["TMPDIR": logs + "/"], logPath: logs + "/up.log")
        do {
            try await run(apiPort: apiPort, httpPort: httpPort, httpsPort: httpsPort, logs: logs)
        } catch {
            Issue.record("reactor up --expose-api:\n\(up.logTail(60))")
            up.signal(SIGINT)
            _ = await up.waitForExit()
            throw error
        }
        up.signal(SIGINT)
        let status = await up.waitForExit()
        #expect(status == 0, "Ctrl-C stops it cleanly:\n\(up.logTail(20))")
        #expect(!LoopbackPorts.isListening(port: httpPort), "nginx stopped with it")
    }

    func run(apiPort: Int, httpPort: Int, httpsPort: Int, logs: String) async throws {
        let direct = HTTP(base: "http://127.0.0.1:\(apiPort)")
        try await eventually("the API answers", timeout: .seconds(30)) { (try? await direct.get("/"))?.status == 200 }
        try await eventually("the manager made apihttp and apihttps", timeout: .seconds(20)) {
            let endpoints = try await direct.strings("/v1.1/endpoints")
            return endpoints.contains("apihttp") && endpoints.contains("apihttps")
        }
        let exposed = HTTP(base: "http://127.0.0.1:\(httpPort)")
        try await eventually("the API answers through nginx over HTTP", timeout: .seconds(30)) {
            (try? await exposed.strings("/v1.1/endpoints"))?.contains("apihttp") == true
        }
        try await eventually("the API answers through nginx over HTTPS", timeout: .seconds(30)) {
            let answer = try await curl(["-sk", "https://127.0.0.1:\(httpsPort)/v1.1/endpoints"], logs)
            return answer.contains("apihttps")
        }
        let redirect = try await curl(
            ["-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "http://127.0.0.1:\(httpsPort)/v1.1/info"],
            logs)
        #expect(redirect == "301 https://127.0.0.1:\(httpsPort)/v1.1/info", "plain HTTP on the TLS port: \(redirect)")

        // Instances register through the exposed port: the API sees each instance's own address.
        #expect(try await direct.post("/v1.1/url", ["url": "http://127.0.0.1:\(httpPort)"]).status == 200)
        let instancePort = try LoopbackPorts.free()
        let config: [String: Any] = [
            "endpoint": ["cloud": "process", "port": "\(instancePort)"],
            "scaling": ["min_instances": "1", "max_instances": "1"],
            "cloud:process": [
                "command": "sh \(ProcessCloudEndToEndTests.instanceScript)", "addresses": "127.0.9.0/24",
            ],
        ]
        let viaNginx = { () -> Int in
            let text = (try? String(contentsOfFile: try self.nginxAccessLog(under: logs), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").filter { $0.contains("|127.0.0.1:\(apiPort)|200|") }.count
        }
        let before = viaNginx()
        #expect(try await direct.post("/v1.1/endpoints/web", config).status == 200)
        #expect(try await direct.post("/v1.1/endpoints/web/state", ["action": "start"]).status == 200)
        try await eventually("the instance registered through port \(httpPort)", timeout: .seconds(30)) {
            let ips = try await direct.strings("/v1.1/endpoints/web/ips")
            return ips.count == 1 && ips[0].hasPrefix("127.0.9.")
        }
        #expect(viaNginx() > before, "the registration went through nginx to the API")
        #expect(try await direct.post("/v1.1/endpoints/web/state", ["action": "stop"]).status == 200)
        try await eventually("the instance stopped", timeout: .seconds(20)) {
            try await direct.strings("/v1.1/endpoints/web/instances").isEmpty
        }
    }

    func nginxAccessLog(under directory: String) throws -> String {
        let files = FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []
        guard let log = files.first(where: { $0.hasSuffix("nginx/access.log") }) else {
            throw LocalServiceError("no nginx access log under \(directory)")
        }
        return directory + "/" + log
    }

    func curl(_ arguments: [String], _ directory: String) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["--max-time", "5"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
