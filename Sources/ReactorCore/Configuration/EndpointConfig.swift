/// The typed, validated configuration of an endpoint: `[endpoint]`, `[scaling]` and driver sections.
///
/// ```swift
/// let document = try ConfigDocument(ini: text)
/// let config = try EndpointConfig(document: document)   // throws ConfigErrors
/// store(config.jsonValue.encoded())                      // canonical form kept in ZooKeeper
/// ```
public struct EndpointConfig: Sendable, Hashable {
    /// Section name of the general settings.
    public static let section = "endpoint"
    /// Keys accepted in `[endpoint]`.
    public static let keys = [
        "url", "port", "weight", "cloud", "loadbalancer", "static_instances", "metrics_source",
        "instances_source", "redirect", "error_marks", "unregistered_timeout", "decommissioned_timeout",
        "unknown_timeout", "auth_hash", "auth_salt", "auth_algo", "template",
    ]

    /// `url`: what clients connect to; its form depends on the load balancer (see
    /// ``LoadBalancerDriverKind/urlForms``). Required when `loadbalancer` is set. Default none.
    public var url: String?
    /// `port`: the port instances listen on (1…65535). Default none: the balancer uses the URL's port.
    public var port: Int?
    /// `weight`: share of traffic relative to other endpoints on the same URL; default 1, not negative.
    public var weight: Double = 1
    /// `cloud`: the cloud driver that launches instances. Default none: only static instances.
    public var cloud: CloudDriverKind?
    /// `loadbalancer`: the balancer that serves `url`. Default none.
    public var loadBalancer: LoadBalancerDriverKind?
    /// `static_instances`: comma-separated IPs and host names that are always backends; default
    /// none. These are the IPs; the names are ``staticHosts``.
    public var staticInstances: [IPAddress] = []
    /// The host names of `static_instances` (lowercased), resolved by each manager at every pass:
    /// each address a name resolves to is a backend.
    public var staticHosts: [String] = []
    /// `metrics_source`: endpoint name whose metrics drive this endpoint's scaling; default none.
    public var metricsSource: String?
    /// `instances_source`: endpoint name whose instances this endpoint serves; default none.
    public var instancesSource: String?
    /// `redirect`: `http(s)://` URL the balancer redirects to when there are no instances; default none.
    public var redirect: String?
    /// `error_marks`: balancer error reports before an instance is moved to errored; default 10.
    public var errorMarks: Int = 10
    /// `unregistered_timeout`: seconds a launched instance may take to register; default 600.
    public var unregisteredTimeout: Int = 600
    /// `decommissioned_timeout`: seconds a decommissioned instance is kept before deletion; default 7200.
    public var decommissionedTimeout: Int = 7200
    /// `unknown_timeout`: seconds before an instance the cloud no longer lists is forgotten; default 600.
    public var unknownTimeout: Int = 600
    /// `auth_hash`, `auth_salt`, `auth_algo`: the endpoint's own key; default none.
    public var auth: EndpointAuth?
    /// `template`: the name of the template the configuration was made from (the dashboard's
    /// `tcp`, `nginx` …; any name of letters, digits, `-`, `_` and `.`), kept for tools; default none.
    public var template: String?
    /// The `[scaling]` section.
    public var scaling = ScalingConfig()
    /// `[cloud:<driver>]` and `[loadbalancer:<driver>]` sections.
    public var drivers = DriverSettings()

    /// The original Reactor's sections this build does not read, each with what replaces it.
    static let originalSections = [
        "windows":
            "the original Reactor's Windows domain join (with the osvms cloud) is not available in this build; "
            + "leave the section out",
        "service":
            "the earliest original Reactor's name of [endpoint] (with nova clouds and `metrics` rules): write "
            + "[endpoint], and the rules as [scaling] rules",
    ]

    /// A configuration with every default (what `POST` with `{}` creates).
    public init() {}

    /// Types and validates a document.
    ///
    /// - Throws: ``ConfigErrors`` with every problem found: unknown sections or keys, wrong types,
    ///   negative counts, min > max, unparsable rules, unknown drivers, a URL the balancer cannot serve.
    public init(document: ConfigDocument) throws(ConfigErrors) {
        var errors = ConfigErrors()
        for section in document.sections.keys
        where section != Self.section && section != ScalingConfig.section
            && !DriverSettings.isDriverSection(section)
        {
            errors.add(
                Self.originalSections[section]
                    ?? "unknown section; expected [endpoint], [scaling], [cloud:<driver>] or [loadbalancer:<driver>]",
                section: section)
        }
        ValueSyntax.rejectControlCharacters(in: document, into: &errors)
        drivers = DriverSettings(document, errors: &errors)
        scaling = ScalingConfig(document, errors: &errors)
        readEndpointSection(document, errors: &errors)
        guard errors.isEmpty else { throw errors }
    }

    /// Decodes the stored canonical JSON (or any JSON object of sections).
    public init(json: JSONValue) throws(ConfigErrors) {
        try self.init(document: try ConfigDocument(json: json))
    }

    /// All problems with `document`; empty when it is valid.
    public static func validate(_ document: ConfigDocument) -> ConfigErrors {
        do {
            _ = try EndpointConfig(document: document)
            return ConfigErrors()
        } catch {
            return error
        }
    }
}
