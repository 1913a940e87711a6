import ReactorCore
import Testing

@Suite("Node name")
struct NodeNameTests {
    @Test(
        "valid names",
        arguments: ["demo", "my-app.v2", "10.0.0.1", "ünïcødé", String(repeating: "a", count: 255)])
    func valid(name: String) throws {
        #expect(try NodeName(name).rawValue == name, "expected '\(name)' to be a valid node name")
    }

    @Test(
        "invalid names say why",
        arguments: [
            ("", "endpoint name must not be empty"),
            (".", "endpoint name '.' must not be '.' or '..'"),
            ("..", "endpoint name '..' must not be '.' or '..'"),
            ("a/b", "endpoint name 'a/b' must not contain '/'"),
            ("tab\there", "endpoint name 'tab\\u{9}here' must not contain the character U+0009"),
            ("nul\u{0}", "endpoint name 'nul\\u{0}' must not contain the character U+0000"),
            ("priv\u{E000}", "endpoint name 'priv\u{E000}' must not contain the character U+E000"),
            // Past U+FFFF: ZooKeeper sees surrogate pairs and answers badArguments (found by fuzzing).
            ("smile\u{1F600}", "endpoint name 'smile\u{1F600}' must not contain the character U+1F600"),
            (
                "é" + String(repeating: "a", count: 254),
                "endpoint name '\("é" + String(repeating: "a", count: 76))...' is 256 bytes long; "
                    + "at most 255 UTF-8 bytes are allowed"
            ),
        ])
    func invalid(name: String, message: String) {
        #expect(!NodeName.isValid(name), "expected \(name.debugDescription) to be rejected")
        do {
            _ = try NodeName(name, kind: "endpoint name")
        } catch {
            #expect(error.message == message, "expected: \(message)")
        }
    }
}
