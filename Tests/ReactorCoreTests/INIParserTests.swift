import ReactorCore
import Testing

@Suite("INI parser")
struct INIParserTests {
    @Test("sections, both separators, comments and values with colons")
    func parses() throws {
        let text = """
            ; endpoint config
            # another comment
            [endpoint]
            url = http://example.com:8080/app#frag
            loadbalancer: nginx

            [scaling]
              rules = 10 <= active <= 30
            [cloud:process]
            """
        let sections = try INIParser.parse(text)
        #expect(sections["endpoint"] == ["url": "http://example.com:8080/app#frag", "loadbalancer": "nginx"])
        #expect(sections["scaling"] == ["rules": "10 <= active <= 30"])
        #expect(sections["cloud:process"] == [:], "expected an empty section to be kept")
        #expect(sections.count == 3)
    }

    @Test("CRLF line endings are accepted")
    func crlf() throws {
        let sections = try INIParser.parse("[manager]\r\ninterval = 5\r\n")
        #expect(sections == ["manager": ["interval": "5"]])
    }

    @Test(
        "malformed documents name the line",
        arguments: [
            ("url = x", "line 1: key 'url' is outside any [section]"),
            ("[endpoint]\nurl = x\n[endpoint]", "line 3: duplicate section [endpoint]"),
            (
                "[endpoint]\n\njust words",
                "line 3: expected '[section]', 'key = value' or a comment, found 'just words'"
            ),
            ("[endpoint", "line 1: section header '[endpoint' is missing ']'"),
            ("[ ]", "line 1: empty section name '[]'"),
            ("[endpoint]\n= value", "line 2: missing key before '='"),
            ("[endpoint]\nurl = a\nurl = b", "line 3: duplicate key 'url' in [endpoint]"),
        ])
    func malformed(text: String, message: String) {
        do {
            _ = try INIParser.parse(text)
            Issue.record("expected \(text.debugDescription) to be rejected with: \(message)")
        } catch {
            #expect(error.description == message, "expected: \(message)")
        }
    }
}
