import Logging
import ReactorCore
import ReactorStore

/// The API on ports 80 and 443 through every manager host's own nginx: two endpoints, `apihttp`
/// (`http://`) and `apihttps` (`https://`), each nginx's catch-all (default server) with the local
/// API (`127.0.0.1:<api port>`) as its static instance, so that every host's nginx sends API
/// requests to the API node on the same host. `https://` names no certificate: each host serves
/// a self-signed pair of its own until `[loadbalancer:nginx] ssl_certificate` and `ssl_key` are
/// set (files, or the PEM text).
///
/// Made by `reactor manager --expose-api` and `reactor up --expose-api` when absent; an existing
/// endpoint of either name is left as the operator made it.
public struct APIExposure: Sendable, Equatable {
    public static let httpName = "apihttp"
    public static let httpsName = "apihttps"

    /// The port of the API node on each host.
    public var apiPort: Int
    /// Where nginx serves plain HTTP; default 80.
    public var httpPort = 80
    /// Where nginx serves HTTPS; default 443.
    public var httpsPort = 443

    public init(apiPort: Int, httpPort: Int = 80, httpsPort: Int = 443) {
        self.apiPort = apiPort
        self.httpPort = httpPort
        self.httpsPort = httpsPort
    }

    /// The two configurations, in their stored form.
    public func configurations() throws -> [(name: String, configuration: JSONValue)] {
        func endpoint(_ url: String) throws -> JSONValue {
            let section: [String: JSONValue] = [
                "url": .string(url), "loadbalancer": .string("nginx"), "port": .string("\(apiPort)"),
                "static_instances": .string("127.0.0.1"),
            ]
            return try EndpointConfig(json: .object(["endpoint": .object(section)])).jsonValue
        }
        return [
            (Self.httpName, try endpoint(httpPort == 80 ? "http://" : "http://:\(httpPort)")),
            (Self.httpsName, try endpoint(httpsPort == 443 ? "https://" : "https://:\(httpsPort)")),
        ]
    }

    /// Makes the endpoints that do not exist yet; returns the names made.
    @discardableResult
    public func ensure(_ store: ReactorStore, logger: Logger) async throws -> [String] {
        var made: [String] = []
        for (name, configuration) in try configurations() {
            do {
                try await store.createEndpoint(named: name, configuration: configuration)
                made.append(name)
                logger.info("made endpoint \(name): the API through this host's nginx")
            } catch StoreError.nameTaken {
                continue  // the operator's (or an earlier manager's): left as it is
            }
        }
        return made
    }
}
