import ReactorCore
import Testing

@testable import ReactorManager

/// How an owner combines one backend's samples from several front doors.
@Suite("Front door reports")
struct FrontDoorReportsTests {
    static func sample(_ metrics: [String: (Double, Double)]) -> JSONValue {
        .object(metrics.mapValues { .array([.number($0.0), .number($0.1)]) })
    }

    @Test func countsAndRatesAreSummedOverFrontDoors() {
        let combined = FrontDoorReports.combine([
            Self.sample(["active": (2, 5), "rate": (2, 10), "bytes": (2, 1000), "errors": (2, 1)]),
            Self.sample(["active": (2, 3), "rate": (2, 4), "bytes": (2, 500), "errors": (2, 0)]),
        ])
        #expect(combined == Self.sample(["active": (2, 8), "rate": (2, 14), "bytes": (2, 1500), "errors": (2, 1)]))
    }

    @Test func responseTimesAreAveraged() {
        let combined = FrontDoorReports.combine([
            Self.sample(["response": (1, 30), "active": (1, 1)]),
            Self.sample(["response": (1, 10)]),
        ])
        #expect(combined == Self.sample(["response": (1, 20), "active": (1, 1)]))
    }

    @Test func entriesOutOfFormAreLeftOut() {
        let combined = FrontDoorReports.combine([
            .object(["active": .array([.number(1)]), "rate": .string("fast")]),
            Self.sample(["active": (1, 2)]),
            .array([]),
            .object(["bytes": .array([.number(1), .number(.infinity)])]),
        ])
        #expect(combined == Self.sample(["active": (1, 2)]))
    }

    @Test func activeBackendsAreThoseWithOpenConnections() {
        var reports = FrontDoorReports()
        reports.samples = [
            "10.0.0.1:80": Self.sample(["active": (1, 3)]),
            "10.0.0.2:80": Self.sample(["active": (1, 0)]),
            "10.0.0.3:80": Self.sample(["rate": (1, 5)]),
            "10.9.9.9:80": Self.sample(["active": (1, 7)]),
        ]
        #expect(reports.activeBackends(of: ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) == ["10.0.0.1:80"])
    }
}

/// An endpoint whose balancer settings a driver would refuse is left out alone.
@Suite("Front door settings checks")
struct FrontDoorSettingsTests {
    @Test func settingsADriverWouldRefuseAreFound() {
        #expect(FrontDoor.problem(with: ["balance": "random"], driver: "tcp", url: "tcp://8080") != nil)
        #expect(FrontDoor.problem(with: ["keepalive": "lots"], driver: "nginx", url: "http://a:80/") != nil)
        #expect(FrontDoor.problem(with: ["mode": "udp"], driver: "haproxy", url: "tcp://8080") != nil)
        #expect(FrontDoor.problem(with: ["ttl": "-1"], driver: "dnsmasq", url: "dns://a.test") != nil)
        // No files at all: the host's own self-signed pair; a key without a certificate is a mistake.
        #expect(FrontDoor.problem(with: [:], driver: "nginx", url: "https://a:443/") == nil)
        let missing = FrontDoor.problem(with: ["ssl_key": "/etc/ssl/a.key"], driver: "nginx", url: "https://a:443/")
        #expect(missing?.contains("ssl_certificate") == true, "\(String(describing: missing))")
        let unreadable = FrontDoor.problem(
            with: ["ssl_certificate": "/nonexistent/cert.pem", "ssl_key": "/nonexistent/key.pem"], driver: "nginx",
            url: "https://a:443/")
        #expect(unreadable?.contains("cannot be read") == true, "\(String(describing: unreadable))")
    }

    @Test func goodSettingsPass() {
        #expect(
            FrontDoor.problem(with: ["balance": "leastconn", "hold_timeout": "5"], driver: "tcp", url: "tcp://8080")
                == nil)
        #expect(FrontDoor.problem(with: ["sticky_sessions": "true"], driver: "nginx", url: "http://a:80/") == nil)
        #expect(FrontDoor.problem(with: [:], driver: "haproxy", url: "tcp://8080") == nil)
    }
}
