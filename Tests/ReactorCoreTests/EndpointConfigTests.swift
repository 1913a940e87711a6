import ReactorCore
import Testing

/// One invalid endpoint configuration and the error it must produce.
struct EndpointErrorCase: Sendable, CustomTestStringConvertible {
    var sections: [String: [String: String]]
    var section: String
    var key: String
    var message: String

    var testDescription: String { "[\(section)] \(key)" }
}

@Suite("Endpoint config")
struct EndpointConfigTests {
    @Test("an empty document gives the documented defaults")
    func defaults() throws {
        let config = try EndpointConfig(document: ConfigDocument())
        #expect(config == EndpointConfig(), "expected an empty document to equal the defaults")
        #expect(config.weight == 1 && config.errorMarks == 10)
        #expect(config.unregisteredTimeout == 600 && config.unknownTimeout == 600)
        #expect(config.decommissionedTimeout == 7200)
        #expect(config.scaling.minInstances == 1 && config.scaling.maxInstances == 1 && config.scaling.rampLimit == 5)
        #expect(config.url == nil && config.cloud == nil && config.loadBalancer == nil && config.auth == nil)
    }

    @Test("a full INI configuration is typed")
    func fullINI() throws {
        let text = """
            [endpoint]
            url = tcp://0.0.0.0:9000
            port = 8000
            weight = 2.5
            cloud = process
            loadbalancer = tcp
            static_instances = 10.0.0.1, fe80::0:1
            metrics_source = other
            redirect = https://example.com/sorry
            error_marks = 3
            auth_hash = 2FD4E1C67A2D28FCED849EE1BB76E7391B93EB12
            auth_salt = pepper
            auth_algo = sha1
            [scaling]
            min_instances = 2
            max_instances = 10
            rules = 10<=active<=30, rate < 100
            ramp_limit = 2
            [cloud:process]
            command = python3 -m http.server $REACTOR_PORT
            """
        let config = try EndpointConfig(document: ConfigDocument(ini: text))
        #expect(config.url == "tcp://0.0.0.0:9000" && config.port == 8000 && config.weight == 2.5)
        #expect(config.cloud == .process && config.loadBalancer == .tcp)
        #expect(config.staticInstances.map(\.description) == ["10.0.0.1", "fe80::1"], "expected canonical IPs")
        #expect(config.metricsSource == "other" && config.redirect == "https://example.com/sorry")
        #expect(config.auth == EndpointAuth(hash: "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12", salt: "pepper"))
        #expect(config.scaling.rules.description == "10 <= active <= 30, rate < 100")
        #expect(config.scaling.minInstances == 2 && config.scaling.maxInstances == 10 && config.scaling.rampLimit == 2)
        #expect(config.drivers.clouds["process"]?["command"] == "python3 -m http.server $REACTOR_PORT")
    }

    @Test("canonical JSON round-trips")
    func canonicalJSON() throws {
        let document = ConfigDocument([
            "endpoint": [
                "url": "http://example.com", "loadbalancer": "nginx", "static_instances": "10.0.0.2,10.0.0.1",
            ],
            "scaling": ["rules": "rate<5", "max_instances": "4"],
            "loadbalancer:nginx": ["ssl": "false"],
        ])
        let config = try EndpointConfig(document: document)
        let json = config.jsonValue
        let scaling: JSONValue = ["min_instances": 1, "max_instances": 4, "ramp_limit": 5, "rules": "rate < 5"]
        #expect(json.objectValue?["scaling"] == scaling, "expected defaults written out and canonical rules")
        #expect(json.objectValue?["endpoint"]?.objectValue?["static_instances"] == "10.0.0.2,10.0.0.1")
        #expect(json.objectValue?["loadbalancer:nginx"] == ["ssl": "false"])
        let dryRun = try EndpointConfig(json: ["scaling": ["dry_run": true]])
        #expect(dryRun.scaling.dryRun, "expected a JSON true to set dry_run")
        #expect(dryRun.jsonValue.objectValue?["scaling"]?.objectValue?["dry_run"] == true, "expected dry_run stored")
        #expect(try EndpointConfig(json: ["scaling": ["dry_run": "FALSE"]]).scaling.dryRun == false)
        let decoded = try EndpointConfig(json: try JSONValue(parsing: json.encoded()))
        #expect(decoded == config, "expected the stored JSON to decode to the same configuration")
    }

    static let errorCases: [EndpointErrorCase] = [
        .init(
            sections: ["bogus": [:]], section: "bogus", key: "*",
            message: "unknown section; expected [endpoint], [scaling], [cloud:<driver>] or [loadbalancer:<driver>]"),
        .init(
            sections: ["endpoint": ["colour": "red"]], section: "endpoint", key: "colour",
            message: "unknown key in [endpoint]; did you mean 'cloud'?; known keys: "
                + EndpointConfig.keys.joined(separator: ", ")),
        .init(
            sections: ["scaling": ["max": "3"]], section: "scaling", key: "max",
            message: "unknown key in [scaling]; known keys: min_instances, max_instances, rules, ramp_limit, dry_run"),
        .init(
            sections: ["scaling": ["min_instances": "two"]], section: "scaling", key: "min_instances",
            message: "must be a whole number, got 'two'"),
        .init(
            sections: ["scaling": ["max_instances": "2.5"]], section: "scaling", key: "max_instances",
            message: "must be a whole number, got '2.5'"),
        .init(
            sections: ["scaling": ["min_instances": "-1"]], section: "scaling", key: "min_instances",
            message: "must not be negative, got -1"),
        .init(
            sections: ["scaling": ["min_instances": "5", "max_instances": "3"]], section: "scaling",
            key: "min_instances", message: "min_instances (5) is greater than max_instances (3)"),
        .init(
            sections: ["scaling": ["ramp_limit": "0"]], section: "scaling", key: "ramp_limit",
            message: "must be at least 1, got 0"),
        .init(
            sections: ["scaling": ["dry_run": "yes"]], section: "scaling", key: "dry_run",
            message: "must be true or false, got 'yes'"),
        .init(
            sections: ["scaling": ["rules": "10 <= active <= 30, active <="]], section: "scaling", key: "rules",
            message: "rule 2 'active <=': expected a number after '<='"),
        .init(
            sections: ["endpoint": ["port": "70000"]], section: "endpoint", key: "port",
            message: "must be between 1 and 65535, got 70000"),
        .init(
            sections: ["endpoint": ["weight": "heavy"]], section: "endpoint", key: "weight",
            message: "must be a number, got 'heavy'"),
        .init(
            sections: ["endpoint": ["weight": "-1"]], section: "endpoint", key: "weight",
            message: "must be at least 0, got -1"),
        .init(
            sections: ["endpoint": ["error_marks": "-3"]], section: "endpoint", key: "error_marks",
            message: "must not be negative, got -3"),
        .init(
            sections: ["endpoint": ["unregistered_timeout": "-1"]], section: "endpoint", key: "unregistered_timeout",
            message: "must not be negative, got -1"),
        .init(
            sections: ["endpoint": ["decommissioned_timeout": "soon"]], section: "endpoint",
            key: "decommissioned_timeout", message: "must be a whole number, got 'soon'"),
        .init(
            sections: ["endpoint": ["unknown_timeout": "-600"]], section: "endpoint", key: "unknown_timeout",
            message: "must not be negative, got -600"),
        .init(
            sections: ["endpoint": ["cloud": "aws"]], section: "endpoint", key: "cloud",
            message: "unknown cloud driver 'aws'; known: process, docker, openstack"),
        .init(
            sections: ["endpoint": ["loadbalancer": "f5"]], section: "endpoint", key: "loadbalancer",
            message: "unknown loadbalancer driver 'f5'; known: tcp, nginx, haproxy, dnsmasq"),
        .init(
            sections: ["cloud:aws": ["region": "x"]], section: "cloud:aws", key: "*",
            message: "unknown cloud driver 'aws'; known: process, docker, openstack"),
        .init(
            sections: ["loadbalancer:f5": [:]], section: "loadbalancer:f5", key: "*",
            message: "unknown loadbalancer driver 'f5'; known: tcp, nginx, haproxy, dnsmasq"),
        .init(
            sections: ["endpoint": ["static_instances": "10.0.0.1, 10.0.0.300"]], section: "endpoint",
            key: "static_instances", message: "'10.0.0.300' is not an IPv4 or IPv6 address or a host name"),
        .init(
            sections: ["endpoint": ["metrics_source": "a/b"]], section: "endpoint", key: "metrics_source",
            message: "endpoint name 'a/b' must not contain '/'"),
        .init(
            sections: ["endpoint": ["instances_source": ".."]], section: "endpoint", key: "instances_source",
            message: "endpoint name '..' must not be '.' or '..'"),
        .init(
            sections: ["endpoint": ["redirect": "ftp://x"]], section: "endpoint", key: "redirect",
            message: "must be an http:// or https:// URL, got 'ftp://x'"),
        .init(
            sections: ["endpoint": ["auth_algo": "md5"]], section: "endpoint", key: "auth_algo",
            message: "must be one of sha1, sha256, sha512, pbkdf2-sha256, got 'md5'"),
        .init(
            sections: ["endpoint": ["auth_hash": "abc", "auth_algo": "sha256"]], section: "endpoint",
            key: "auth_hash", message: "must be 64 hex digits (a sha256 digest)"),
        .init(
            sections: ["endpoint": ["auth_salt": "pepper"]], section: "endpoint", key: "auth_salt",
            message: "auth_salt is set but auth_hash is not"),
        .init(
            sections: ["endpoint": ["url": "not a url"]], section: "endpoint", key: "url",
            message: "must look like scheme://[host][:port][/path], got 'not a url'"),
        .init(
            sections: ["endpoint": ["loadbalancer": "tcp"]], section: "endpoint", key: "url",
            message: "required by loadbalancer tcp (tcp://[host:]port)"),
        .init(
            sections: ["endpoint": ["loadbalancer": "tcp", "url": "http://example.com"]], section: "endpoint",
            key: "url", message: "loadbalancer tcp serves tcp://[host:]port; cannot serve 'http://example.com'"),
        .init(
            sections: ["endpoint": ["loadbalancer": "nginx", "url": "tcp://80"]], section: "endpoint", key: "url",
            message: "loadbalancer nginx serves http://host[:port][/path] or https://host[:port][/path]; "
                + "cannot serve 'tcp://80'"),
        .init(
            sections: ["endpoint": ["loadbalancer": "haproxy", "url": "https://example.com"]], section: "endpoint",
            key: "url",
            message: "loadbalancer haproxy serves tcp://[host:]port or http://host[:port] (no path); "
                + "cannot serve 'https://example.com'"),
        .init(
            sections: ["endpoint": ["loadbalancer": "dnsmasq", "url": "dns://bad_name!"]], section: "endpoint",
            key: "url", message: "loadbalancer dnsmasq serves dns://name; cannot serve 'dns://bad_name!'"),
    ]

    @Test("validation errors per field", arguments: errorCases)
    func validationErrors(_ row: EndpointErrorCase) {
        let errors = EndpointConfig.validate(ConfigDocument(row.sections))
        #expect(
            errors[row.section, row.key] == row.message,
            "expected [\(row.section)] \(row.key): \(row.message); got \(errors)")
    }

    @Test("every problem is reported at once")
    func allProblemsAtOnce() {
        let errors = EndpointConfig.validate(
            ConfigDocument([
                "endpoint": ["port": "x", "cloud": "aws"], "scaling": ["rules": "active"], "extra": [:],
            ]))
        #expect(errors.errors.keys.sorted() == ["endpoint", "extra", "scaling"])
        #expect(errors.errors["endpoint"]?.keys.sorted() == ["cloud", "port"], "expected both endpoint keys flagged")
    }

    @Test("blank values count as unset")
    func blankValues() throws {
        let config = try EndpointConfig(document: ConfigDocument(["endpoint": ["url": " ", "port": ""]]))
        #expect(config.url == nil && config.port == nil, "expected blank url and port to be unset")
    }

    @Test("unparsable rules from JSON are reported under scaling.rules")
    func rulesFromJSON() {
        #expect(
            throws: ConfigErrors([
                "scaling": [
                    "rules": "rule 1 'active > 3': '>' is not supported: write bounds "
                        + "with '<' or '<=', e.g. '10 <= active <= 30'"
                ]
            ])
        ) {
            try EndpointConfig(json: ["scaling": ["rules": "active > 3"]])
        }
    }
}
