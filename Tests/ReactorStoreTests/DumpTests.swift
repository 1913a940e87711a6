import Foundation
import ReactorCore
import ReactorStore
import Testing
import ZooKeeper

/// `ReactorStore.dump`: the tree as JSON, secrets redacted in every form they are stored in.
@Suite struct DumpTests {
    @Test func secretsAreRedactedInJSONTextAndPEM() async throws {
        try await withStore { store in
            let id = try await store.createEndpoint(
                named: "web",
                configuration: [
                    "endpoint": ["auth_hash": "abc123", "auth_salt": "NaCl", "url": "http://web"],
                    "loadbalancer:nginx": ["ssl_key": "/etc/ssl/web.key"],
                    "nested": [["auth_hash": "deep"]],
                ])
            try await store.client.create(ZNodeLayout.auth, data: Array(#""0123456789abcdef""#.utf8))
            let ini = "[endpoint]\nauth_hash = abc123\nauth_salt=NaCl\nurl = http://web\n"
            try await store.client.create(
                "\(ZNodeLayout.clouds)/by-hand", data: Array(ini.utf8))
            let pem = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"
            try await store.client.create("\(ZNodeLayout.clouds)/pem", data: Array(pem.utf8))

            let tree = try await store.dump(at: ZNodeLayout.root)
            let text = tree.jsonText
            for secret in ["abc123", "NaCl", "deep", "0123456789abcdef", "MIIE", "/etc/ssl/web.key"] {
                #expect(!text.contains(secret), "\(secret) is redacted")
            }
            let children = tree.objectValue?["children"]?.objectValue
            let clouds = children?["clouds"]?.objectValue?["children"]?.objectValue
            #expect(
                clouds?["by-hand"]?.objectValue?["text"]
                    == "[endpoint]\nauth_hash = <redacted>\nauth_salt= <redacted>\nurl = http://web\n")
            #expect(clouds?["pem"]?.objectValue?["text"] == "<redacted>")
            let data = children?["endpoints"]?.objectValue?["children"]?.objectValue?["data"]
            let endpoint = data?.objectValue?["children"]?.objectValue?[id]?.objectValue?["data"]
            #expect(endpoint?.objectValue?["endpoint"]?.objectValue?["url"] == "http://web", "the rest stays")
        }
    }

    @Test func emptyAndEphemeralNodesAndLimits() async throws {
        try await withStore { store in
            try await store.client.create("\(ZNodeLayout.clouds)/held", data: [], mode: .ephemeral)
            let tree = try await store.dump(at: ZNodeLayout.clouds)
            let held = tree.objectValue?["children"]?.objectValue?["held"]
            #expect(held == ["ephemeral": true], "an empty ephemeral node: \(String(describing: held))")
            await #expect(throws: ReactorStore.DumpError.noNode("/reactor/none")) {
                try await store.dump(at: "/reactor/none")
            }
            await #expect(throws: ReactorStore.DumpError.self) {
                try await store.dump(at: ZNodeLayout.root, limits: .init(nodes: 3))
            }
            try await store.client.create("\(ZNodeLayout.clouds)/data", data: Array("0123456789".utf8))
            await #expect(throws: ReactorStore.DumpError.self) {
                try await store.dump(at: ZNodeLayout.root, limits: .init(bytes: 9))
            }
            #expect(try await store.dump(at: ZNodeLayout.root, limits: .init(bytes: 10)).objectValue != nil)
        }
    }
}
