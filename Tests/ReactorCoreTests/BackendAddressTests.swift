import ReactorCore
import Testing

@Suite("Backend address")
struct BackendAddressTests {
    @Test(
        "the four forms and their canonical names",
        arguments: [
            ("10.0.0.5", "10.0.0.5", nil), ("10.0.0.5:32768", "10.0.0.5:32768", 32768),
            ("FD00::5", "fd00::5", nil), ("[fd00:0::5]:80", "[fd00::5]:80", 80), ("[::1]:65535", "[::1]:65535", 65535),
        ] as [(String, String, Int?)])
    func forms(text: String, canonical: String, port: Int?) throws {
        let address = try #require(BackendAddress(text), "'\(text)' is a backend address")
        #expect(address.description == canonical)
        #expect(address.port == port)
        #expect(BackendAddress(address.description) == address, "the canonical name reads back")
    }

    @Test(
        "what is not one",
        arguments: [
            "", "10.0.0.5:", "10.0.0.5:0", "10.0.0.5:65536", "10.0.0.5:080", "10.0.0.5:80:81", "fd00::5:80x",
            "[fd00::5]", "[fd00::5]80", "[10.0.0.5]:80", "[fd00::5]:", "host:80", ":80", "10.0.0.5: 80",
            "10.0.0.5:+80", "[fd00::5]:8080]",
        ])
    func refused(text: String) {
        #expect(BackendAddress(text) == nil, "'\(text)' is refused")
    }

    @Test func balancerKeys() throws {
        #expect(try #require(BackendAddress("10.0.0.5")).key(defaultPort: 8080) == "10.0.0.5:8080")
        #expect(try #require(BackendAddress("10.0.0.5:20001")).key(defaultPort: 8080) == "10.0.0.5:20001")
        #expect(try #require(BackendAddress("[fd00::5]:20001")).key(defaultPort: 8080) == "fd00::5:20001")
        #expect(BackendAddress.ipOfKey("fd00::5:20001") == "fd00::5")
    }

    /// Two containers of one host share its IP: each report goes to its own address, and an
    /// address without a port takes every port of its IP.
    @Test func anIndexTellsPortsApart() {
        let index = BackendAddressIndex(["127.0.0.1:20001", "127.0.0.1:20002", "10.0.0.7", "fd00::9", "junk"])
        #expect(index.address(ofKey: "127.0.0.1:20001") == "127.0.0.1:20001")
        #expect(index.address(ofKey: "127.0.0.1:20002") == "127.0.0.1:20002")
        #expect(index.address(ofKey: "127.0.0.1:20003") == nil)
        #expect(index.address(ofKey: "10.0.0.7:8080") == "10.0.0.7")
        #expect(index.address(ofKey: "fd00::9:8080") == "fd00::9")
        #expect(index.address(ofKey: "fd00:0::9:8080") == "fd00::9", "a key in another spelling")
        #expect(index.address(ofKey: "10.0.0.8:8080") == nil)
    }
}
