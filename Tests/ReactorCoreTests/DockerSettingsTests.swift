import Testing

@testable import ReactorCore

/// `[cloud:docker]` of endpoints and managers: each key checked with a message of its own.
@Suite("Docker settings")
struct DockerSettingsTests {
    static let image = ["image": "busybox:1.36"]

    @Test func defaultsAndAWholeSection() throws {
        let plain = try DockerSettings(Self.image)
        #expect(plain.network == .bridge && plain.pull == .missing && plain.slots == 10 && plain.memoryLimit == nil)
        let full = try DockerSettings([
            "image": "registry.example:5000/team/app@sha256:" + String(repeating: "a", count: 64),
            "command": "exec app --listen ${REACTOR_INSTANCE_IP}:${REACTOR_PORT}", "user": "app:1000",
            "environment": "MODE=production, LEVEL=2", "mem_limit": "512m", "dns": "10.0.0.2, 10.0.0.3",
            "hostname": "web-1.example", "slots": "25", "network": "backend_net", "pull": "always",
        ])
        #expect(full.memoryLimit == 512 << 20 && full.slots == 25 && full.network == .named("backend_net"))
        #expect(full.environment == ["MODE": "production", "LEVEL": "2"] && full.dns == ["10.0.0.2", "10.0.0.3"])
        #expect(
            full.expandedCommand(instanceIP: "127.0.2.5", port: 8080) == "exec app --listen 127.0.2.5:8080")
        #expect(try DockerSettings(["image": "busybox", "network": "host"]).network == .host)
        // The original Reactor's zeros: no memory limit, no slot taken.
        let zeros = try DockerSettings(["image": "busybox", "mem_limit": "0", "slots": "0"])
        #expect(zeros.memoryLimit == nil && zeros.slots == 0, "mem_limit = 0 and slots = 0 are accepted")
    }

    static let refused: [(key: String, value: String, says: String)] = [
        ("image", "Busybox:1", "is not an image reference"),
        ("image", "busybox:", "is not an image reference"),
        ("image", "bad image", "is not an image reference"),
        ("image", "a//b", "is not an image reference"),
        ("image", "host:99999999/app", "is not an image reference"),
        ("image", "app@sha256:xyz", "is not an image reference"),
        ("user", "root; rm", "is not a user"),
        ("environment", "REACTOR_API=x", "set by the cloud"),
        ("environment", "novalue", "expected NAME=value"),
        ("mem_limit", "-5m", "is not a size"),
        ("mem_limit", "1k", "below the engine's minimum"),
        ("mem_limit", "lots", "is not a size"),
        ("dns", "8.8.8", "is not an IP address"),
        ("hostname", "-web", "is not a host name"),
        ("slots", "1000001", "between"),
        ("slots", "-1", "must not be negative"),
        ("network", "none", "unknown network mode"),
        ("network", "container:web", "unknown network mode"),
        ("pull", "sometimes", "is not a pull policy"),
        ("volumes", "/:/host", "unknown key"),
    ]

    @Test(arguments: refused)
    func eachBadValueIsNamed(_ row: (key: String, value: String, says: String)) {
        var section = Self.image
        section[row.key] = row.value
        let errors = DockerSettings.problems(section)
        let message = errors.errors["cloud:docker"]?[row.key]
        #expect(
            message?.contains(row.says) == true,
            "\(row.key) = \(row.value): expected a message saying '\(row.says)', got \(String(describing: message))")
    }

    @Test func anImageIsRequired() {
        #expect(DockerSettings.problems([:]).errors["cloud:docker"]?["image"]?.contains("required") == true)
    }

    @Test func theManagersSection() throws {
        let settings = try DockerHostSettings(["socket": "/run/docker.sock", "slots": "64", "addresses": "10.0.5.0/24"])
        #expect(settings.socket == "/run/docker.sock" && settings.slots == 64 && settings.addresses == "10.0.5.0/24")
        #expect(try DockerHostSettings([:]) == DockerHostSettings())
        let publishing = try DockerHostSettings(["publish_address": "10.0.0.5", "ports": "30000-30099"])
        #expect(publishing.publishAddress == "10.0.0.5" && publishing.ports == 30000...30099)
        #expect(publishing.portsText == "30000-30099")
        #expect(DockerHostSettings().ports == 20000...29999 && DockerHostSettings().publishAddress == nil)
        for (key, value) in [
            ("socket", "docker.sock"), ("slots", "-3"), ("addresses", "10.0.5.0"), ("addresses", "::1/64"),
            ("port", "1"), ("publish_address", "0.0.0.0"), ("publish_address", "docker-host"), ("ports", "80-90"),
            ("ports", "30000-20000"), ("ports", "20000"), ("ports", "20000-70000"),
        ] {
            #expect(throws: ConfigErrors.self, "\(key) = \(value) is refused") {
                _ = try DockerHostSettings([key: value])
            }
        }
        // Through the manager configuration, as the API checks it.
        let document = try ConfigDocument(json: .object(["cloud:docker": .object(["slots": .string("many")])]))
        #expect(ManagerConfig.validate(document).errors["cloud:docker"]?["slots"] != nil)
        let process = try ConfigDocument(json: .object(["cloud:process": .object(["addresses": .string("x")])]))
        #expect(ManagerConfig.validate(process).errors["cloud:process"]?["addresses"] != nil)
    }
}
