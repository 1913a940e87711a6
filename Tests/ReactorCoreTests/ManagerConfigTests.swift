import ReactorCore
import Testing

@Suite("Manager config")
struct ManagerConfigTests {
    @Test("an empty configuration gives the defaults")
    func defaults() throws {
        let config = try ManagerConfig(json: [:])
        #expect(config.interval == 10 && config.keys == 64, "expected interval 10 s and 64 ring keys")
        #expect(config.loadBalancers == LoadBalancerDriverKind.allCases, "expected every known balancer enabled")
        #expect(config.clouds == CloudDriverKind.allCases, "expected every known cloud enabled")
    }

    @Test("INI settings are typed; duplicate driver names collapse; empty lists enable nothing")
    func typed() throws {
        let config = try ManagerConfig(
            document: ConfigDocument(
                ini: """
                    [manager]
                    interval = 0.5
                    keys = 8
                    loadbalancers = tcp, nginx, tcp
                    clouds =
                    [loadbalancer:nginx]
                    executable = /usr/sbin/nginx
                    """))
        #expect(config.interval == 0.5 && config.keys == 8)
        #expect(config.loadBalancers == [.tcp, .nginx], "expected tcp and nginx once each")
        #expect(config.clouds.isEmpty, "expected an empty clouds value to enable none")
        #expect(config.drivers.loadBalancers["nginx"] == ["executable": "/usr/sbin/nginx"])
    }

    /// Each balancer's section of a manager is checked key by key, as its driver reads it.
    @Test func balancerSectionsOfAHost() throws {
        let dns = try BalancerHostSettings(driver: "dnsmasq", ["listen": "127.0.0.1", "port": "5353"])
        #expect(dns.listen == "127.0.0.1" && dns.port == 5353)
        let tcp = try BalancerHostSettings(driver: "tcp", ["threads": "2", "connect_timeout": "0.5"])
        #expect(tcp.threads == 2 && tcp.connectTimeout == 0.5)
        let nginx = try BalancerHostSettings(
            driver: "nginx", ["executable": "/opt/nginx/sbin/nginx", "user": "www-data"])
        #expect(nginx.executable == "/opt/nginx/sbin/nginx" && nginx.user == "www-data")
        for (driver, key, value) in [
            ("dnsmasq", "port", "0"), ("dnsmasq", "listen", "localhost"), ("tcp", "threads", "0"),
            ("tcp", "connect_timeout", "120"), ("nginx", "executable", "nginx"), ("nginx", "user", "www data"),
            ("nginx", "executable", "/usr/sbin/nginx;rm"), ("haproxy", "user", "root"),
            ("nginx", "config_path", "/etc"),
        ] {
            #expect(throws: ConfigErrors.self, "[loadbalancer:\(driver)] \(key) = \(value) is refused") {
                _ = try BalancerHostSettings(driver: driver, [key: value])
            }
        }
        // Through the manager configuration, as the API checks it: per field.
        let document = try ConfigDocument(json: .object(["loadbalancer:dnsmasq": .object(["port": .string("x")])]))
        #expect(ManagerConfig.validate(document).errors["loadbalancer:dnsmasq"]?["port"] != nil)
    }

    @Test("canonical JSON round-trips")
    func canonicalJSON() throws {
        let config = try ManagerConfig(json: ["manager": ["interval": 2, "clouds": "docker"]])
        let json = config.jsonValue
        #expect(
            json == [
                "manager": [
                    "interval": 2, "keys": 64, "loadbalancers": "tcp,nginx,haproxy,dnsmasq",
                    "clouds": "docker",
                ]
            ])
        #expect(try ManagerConfig(json: try JSONValue(parsing: json.encoded())) == config)
    }

    @Test(
        "validation errors per field",
        arguments: [
            (["manager": ["interval": "0"]], "manager", "interval", "must be greater than 0, got 0"),
            (["manager": ["interval": "often"]], "manager", "interval", "must be a number, got 'often'"),
            (["manager": ["keys": "0"]], "manager", "keys", "must be between 1 and 1024, got 0"),
            (["manager": ["keys": "2000"]], "manager", "keys", "must be between 1 and 1024, got 2000"),
            (["manager": ["keys": "many"]], "manager", "keys", "must be a whole number, got 'many'"),
            (
                ["manager": ["loadbalancers": "tcp, f5"]], "manager", "loadbalancers",
                "unknown loadbalancer driver 'f5'; known: tcp, nginx, haproxy, dnsmasq"
            ),
            (
                ["manager": ["clouds": "aws"]], "manager", "clouds",
                "unknown cloud driver 'aws'; known: process, docker, openstack"
            ),
            (
                ["manager": ["ips": "x"]], "manager", "ips",
                "unknown key in [manager]; known keys: interval, health_check, keys, loadbalancers, clouds"
            ),
            (
                ["endpoint": [:]], "endpoint", "*",
                "unknown section; expected [manager], [cloud:<driver>] or [loadbalancer:<driver>]"
            ),
            (["cloud:aws": [:]], "cloud:aws", "*", "unknown cloud driver 'aws'; known: process, docker, openstack"),
        ] as [([String: [String: String]], String, String, String)])
    func validationErrors(sections: [String: [String: String]], section: String, key: String, message: String) {
        let errors = ManagerConfig.validate(ConfigDocument(sections))
        #expect(errors[section, key] == message, "expected [\(section)] \(key): \(message); got \(errors)")
    }
}
