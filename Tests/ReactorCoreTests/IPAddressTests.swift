import ReactorCore
import Testing

@Suite("IP address")
struct IPAddressTests {
    @Test(
        "valid addresses and their canonical form",
        arguments: [
            ("10.0.0.1", "10.0.0.1"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
            ("::1", "::1"), ("::", "::"), ("FE80::0:1", "fe80::1"), ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            ("2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1"), ("1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"),
            ("::ffff:10.0.0.1", "::ffff:a00:1"), ("1::", "1::"),
        ])
    func valid(text: String, canonical: String) throws {
        let address = try #require(IPAddress(text), "expected '\(text)' to be an IP address")
        #expect(address.description == canonical, "expected '\(text)' to read as \(canonical)")
    }

    @Test(
        "invalid addresses",
        arguments: [
            "", "10.0.0", "10.0.0.1.2", "10.0.0.256", "010.0.0.1", "10.0.0.-1", "a.b.c.d", "10.0.0.1 ",
            ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::1", "fe80::1%eth0", "1:2:3:4:5:6:7", "::g",
            "example.com", "1.2.3.4::",
        ])
    func invalid(text: String) {
        #expect(!IPAddress.isValid(text), "expected '\(text)' to be rejected")
    }
}
