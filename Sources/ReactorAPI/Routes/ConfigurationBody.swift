import Hummingbird
import LoadBalancers
import ReactorCore

/// Reads endpoint and manager configuration bodies: JSON objects of sections or INI text.
enum ConfigurationBody {
    /// The validated endpoint configuration in its canonical stored form.
    static func endpoint(_ request: Request) async throws -> JSONValue {
        let document = try await document(request)
        let config: EndpointConfig
        do {
            config = try EndpointConfig(document: document)
        } catch {
            throw APIError.invalidConfiguration(error)
        }
        // Balancer settings are checked as their driver will read them.
        var errors = ConfigErrors()
        var sections = config.drivers.loadBalancers
        if let driver = config.loadBalancer?.rawValue, sections[driver] == nil { sections[driver] = [:] }
        for (driver, section) in sections {
            // The URL only concerns the endpoint's own balancer.
            let url = driver == config.loadBalancer?.rawValue ? config.url : nil
            for (key, message) in BalancerSettingsCheck.problems(driver: driver, section: section, url: url) {
                // The URL as the balancer's own parser reads it (a haproxy URL with a path, say).
                errors.add(message, section: key == "url" ? EndpointConfig.section : "loadbalancer:\(driver)", key: key)
            }
        }
        if let driver = config.loadBalancer?.rawValue, let redirect = config.redirect,
            let message = BalancerSettingsCheck.redirectProblem(driver: driver, redirect: redirect)
        {
            errors.add(message, section: EndpointConfig.section, key: "redirect")
        }
        if let process = config.drivers.clouds[CloudDriverKind.process.rawValue] {
            errors.merge(ProcessSettings.problems(process))
        }
        let docker = config.drivers.clouds[CloudDriverKind.docker.rawValue]
        if docker != nil || config.cloud == .docker {
            // What the docker cloud will read, checked as it reads it (an image is required).
            errors.merge(DockerSettings.problems(docker ?? [:]))
        }
        guard errors.isEmpty else { throw APIError.invalidConfiguration(errors) }
        return config.jsonValue
    }

    /// The validated manager configuration in its canonical stored form.
    static func manager(_ request: Request) async throws -> JSONValue {
        let document = try await document(request)
        do {
            return try ManagerConfig(document: document).jsonValue
        } catch {
            throw APIError.invalidConfiguration(error)
        }
    }

    private static func document(_ request: Request) async throws -> ConfigDocument {
        let body = try await RequestBodyReader.bytes(of: request)
        do {
            return try ConfigDocument(body: body)
        } catch {
            switch error {
            case .unreadable(let message): throw APIError.badRequest(message)
            case .invalid(let errors): throw APIError.invalidConfiguration(errors)
            }
        }
    }
}
