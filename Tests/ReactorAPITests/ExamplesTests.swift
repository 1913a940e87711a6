import Foundation
import Hummingbird
import ReactorStore
import Testing

/// Every configuration under examples/ is accepted by the API as it stands.
@Suite struct ExamplesTests {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    static func files(_ folder: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(
            at: examples.appendingPathComponent(folder), includingPropertiesForKeys: nil
        ).filter { ["ini", "json"].contains($0.pathExtension) }.sorted { $0.path < $1.path }
    }

    @Test func endpointExamplesAreValid() async throws {
        let files = try Self.files("endpoints")
        #expect(files.count >= 7, "an example per balancer and cloud: \(files.map(\.lastPathComponent))")
        try await withAPI { api in
            for file in files {
                let name = file.deletingPathExtension().lastPathComponent
                let body = try String(contentsOf: file, encoding: .utf8)
                let reply = try await api.request(.post, "/v1.1/endpoints/\(name)", body: body)
                #expect(reply.status == .ok, "\(file.lastPathComponent): \(reply.status) \(reply.text)")
            }
        }
    }

    @Test func managerExamplesAreValid() async throws {
        let files = try Self.files("managers")
        #expect(!files.isEmpty)
        try await withAPI { api in
            for file in files {
                let body = try String(contentsOf: file, encoding: .utf8)
                let reply = try await api.request(.post, "/v1.1/managers/configs/example", body: body)
                #expect(reply.status == .ok, "\(file.lastPathComponent): \(reply.status) \(reply.text)")
            }
        }
    }
}
